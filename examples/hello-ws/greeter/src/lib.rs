//! Builds the greeting the example prints.

pub fn greeting(name: &str) -> String {
    format!("Hello, {name}! (built by {} {})", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets_by_name() {
        assert!(super::greeting("cache").starts_with("Hello, cache!"));
    }
}
