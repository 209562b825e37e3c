/*
 * cachefarm's process tracer: an LD_PRELOAD interposer that records what a process tree really reads, so a
 * cached build-script run is keyed by its true inputs instead of its declarations.
 *
 * Active only while CACHEFARM_TRACE_FILE names the log. Each process appends one line per distinct event
 * (tab-separated, the path last):
 *   R path   opened for reading          W path   created, written, renamed, removed
 *   S path   looked up (stat, access)    A path   looked up and absent
 *   D path   directory listed            X path   this process's executable
 *   E name   environment variable read   N addr   network connection (the run is not cacheable)
 *   ! why    something escaped the tracer (a static program, a path it cannot write down)
 * Files the dynamic loader maps at start-up are not seen; libraries opened later with dlopen are.
 * Children inherit the tracer: exec and posix_spawn put LD_PRELOAD and the log back into an environment
 * that dropped them, and a program without a dynamic loader, which no preload reaches, is reported with "!".
 * Lines are written with one write(2) on an O_APPEND descriptor, so processes never interleave them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <netdb.h>
#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define LOG_VAR "CACHEFARM_TRACE_FILE"
#define LIB_VAR "CACHEFARM_TRACE_LIB"
#define LOG_FD_FLOOR 900
#define SEEN_SLOTS 16384

extern char **environ;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Copied at start: a program that unsets the variables (env -u) is still traced, and so are its children. */
static char log_path[PATH_MAX];
static char lib_path[PATH_MAX];
static int log_fd = -1;
static dev_t log_dev;
static ino_t log_ino;
static int disabled;
/* cachefarm's own compiler shims: their runtime's variables, their own binary and their writes are not the build's
 * inputs or outputs, while the paths they look up and the compiler they start are. */
static int own_tool;
static __thread int busy; /* the tracer's own calls (getcwd, readlink, stat of the log) are not events */
static uint64_t seen[SEEN_SLOTS];

#define REAL(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

/* Programs pass NULL where glibc declares an argument nonnull; reading the pointer through a volatile keeps
 * the compiler from dropping the NULL checks that follow. */
static const char *launder(const char *p)
{
    const char *volatile copy = p;
    return copy;
}

static const char *env_value(const char *name)
{
    size_t n = strlen(name);
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
    }
    return NULL;
}

static uint64_t fnv(char kind, const char *text)
{
    uint64_t h = 1469598103934665603ULL ^ (unsigned char)kind;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) h = (h ^ *p) * 1099511628211ULL;
    return h ? h : 1;
}

/* True the first time this process reports (kind, text); a full table just reports again. */
static int first_time(char kind, const char *text)
{
    uint64_t h = fnv(kind, text);
    for (unsigned i = 0, slot = h % SEEN_SLOTS; i < 64; i++, slot = (slot + 1) % SEEN_SLOTS) {
        if (seen[slot] == h) return 0;
        if (seen[slot] == 0) { seen[slot] = h; return 1; }
    }
    return 1;
}

/* Other libraries' constructors may call in before ours runs, so the first call of any kind reads the paths. */
static int load_paths(void)
{
    if (log_path[0]) return 1;
    const char *log = env_value(LOG_VAR), *lib = env_value(LIB_VAR);
    if (!log || !*log || strlen(log) >= sizeof log_path) return 0;
    if (lib && strlen(lib) < sizeof lib_path) strcpy(lib_path, lib);
    strcpy(log_path, log);
    const char *slash = strrchr(lib_path, '/');
    char exe[PATH_MAX], tool[PATH_MAX];
    ssize_t n = (ssize_t)syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", exe, sizeof exe - 1);
    if (slash && n > 0 && snprintf(tool, sizeof tool, "%.*s/cachefarm", (int)(slash - lib_path), lib_path) < (int)sizeof tool) {
        exe[n] = 0;
        own_tool = strcmp(exe, tool) == 0;
    }
    return 1;
}

/* The log descriptor, reopened when the program closed it or reused its number for a file of its own. */
static int log_descriptor(void)
{
    struct stat st;
    if (log_fd >= 0 && fstat(log_fd, &st) == 0 && st.st_dev == log_dev && st.st_ino == log_ino) return log_fd;
    if (!load_paths()) { disabled = 1; return -1; }
    int fd = (int)syscall(SYS_openat, AT_FDCWD, log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) { disabled = 1; return -1; }
    int high = fcntl(fd, F_DUPFD_CLOEXEC, LOG_FD_FLOOR);
    if (high >= 0) { close(fd); fd = high; }
    if (fstat(fd, &st) != 0) { close(fd); disabled = 1; return -1; }
    log_fd = fd; log_dev = st.st_dev; log_ino = st.st_ino;
    return fd;
}

static void emit(char kind, const char *text)
{
    if (disabled || busy || !text) return;
    int saved = errno;
    busy = 1;
    char line[PATH_MAX + 64];
    const char *body = strchr(text, '\n') ? "a path with a newline" : text;
    char out_kind = body == text ? kind : '!';
    pthread_mutex_lock(&lock);
    if (first_time(out_kind, body)) {
        int n = snprintf(line, sizeof line, "%c\t%s\n", out_kind, body);
        int fd = log_descriptor();
        if (fd >= 0 && n > 0 && (size_t)n < sizeof line) {
            ssize_t ignored = write(fd, line, (size_t)n);
            (void)ignored;
        } else if (fd >= 0) {
            ssize_t ignored = write(fd, "!\ta path too long to trace\n", 27);
            (void)ignored;
        }
    }
    pthread_mutex_unlock(&lock);
    busy = 0;
    errno = saved;
}

/* An absolute spelling of path as seen from dirfd (AT_FDCWD or a directory descriptor). */
static const char *absolute(int dirfd, const char *path, char *buf, size_t size)
{
    path = launder(path);
    if (!path) return NULL;
    if (path[0] == '/') return path;
    char base[PATH_MAX];
    busy++;
    int ok;
    if (dirfd == AT_FDCWD) {
        ok = getcwd(base, sizeof base) != NULL;
    } else {
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
        ssize_t n = (ssize_t)syscall(SYS_readlinkat, AT_FDCWD, link, base, sizeof base - 1);
        ok = n > 0;
        if (ok) base[n] = 0;
    }
    busy--;
    if (!ok) return path;
    int n = path[0] == 0 ? snprintf(buf, size, "%s", base) : snprintf(buf, size, "%s/%s", base, path);
    return n > 0 && (size_t)n < size ? buf : NULL;
}

static void record_path(char kind, int dirfd, const char *path)
{
    path = launder(path);
    if (disabled || busy || !path) return;
    /* Memo files, logs and build records are the cache's; what a cached command writes for the run it reports itself. */
    if (kind == 'W' && own_tool) return;
    char buf[PATH_MAX];
    const char *abs = absolute(dirfd, path, buf, sizeof buf);
    emit(abs ? kind : '!', abs ? abs : "a path too long to trace");
}

static void record_open(int dirfd, const char *path, int flags, int result)
{
    if (result < 0) {
        if (errno == ENOENT || errno == ENOTDIR) record_path('A', dirfd, path);
        return;
    }
    int writes = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
    record_path(writes ? 'W' : ((flags & O_DIRECTORY) ? 'D' : 'R'), dirfd, path);
}

static void record_lookup(int dirfd, const char *path, int result)
{
    if (result == 0) record_path('S', dirfd, path);
    else if (errno == ENOENT || errno == ENOTDIR) record_path('A', dirfd, path);
}

static int mode_writes(const char *mode) { return mode && (strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+')); }

/* ---- open family ---- */

#define OPEN_MODE(flags) mode_t mode = 0; if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }

int open(const char *path, int flags, ...)
{
    OPEN_MODE(flags); REAL(open);
    int r = real_open(path, flags, mode); record_open(AT_FDCWD, path, flags, r); return r;
}
int open64(const char *path, int flags, ...)
{
    OPEN_MODE(flags); REAL(open64);
    int r = real_open64(path, flags, mode); record_open(AT_FDCWD, path, flags, r); return r;
}
int openat(int dirfd, const char *path, int flags, ...)
{
    OPEN_MODE(flags); REAL(openat);
    int r = real_openat(dirfd, path, flags, mode); record_open(dirfd, path, flags, r); return r;
}
int openat64(int dirfd, const char *path, int flags, ...)
{
    OPEN_MODE(flags); REAL(openat64);
    int r = real_openat64(dirfd, path, flags, mode); record_open(dirfd, path, flags, r); return r;
}
int __open_2(const char *path, int flags) { return open(path, flags); }
int __open64_2(const char *path, int flags) { return open64(path, flags); }
int __openat_2(int dirfd, const char *path, int flags) { return openat(dirfd, path, flags); }
int __openat64_2(int dirfd, const char *path, int flags) { return openat64(dirfd, path, flags); }
int creat(const char *path, mode_t mode) { return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode); }
int creat64(const char *path, mode_t mode) { return open64(path, O_CREAT | O_WRONLY | O_TRUNC, mode); }

FILE *fopen(const char *path, const char *mode)
{
    REAL(fopen);
    FILE *f = real_fopen(path, mode);
    if (!f) { if (errno == ENOENT || errno == ENOTDIR) record_path('A', AT_FDCWD, path); }
    else record_path(mode_writes(mode) ? 'W' : 'R', AT_FDCWD, path);
    return f;
}
FILE *fopen64(const char *path, const char *mode)
{
    REAL(fopen64);
    FILE *f = real_fopen64(path, mode);
    if (!f) { if (errno == ENOENT || errno == ENOTDIR) record_path('A', AT_FDCWD, path); }
    else record_path(mode_writes(mode) ? 'W' : 'R', AT_FDCWD, path);
    return f;
}
FILE *freopen(const char *path, const char *mode, FILE *stream)
{
    REAL(freopen);
    FILE *f = real_freopen(path, mode, stream);
    if (path && f) record_path(mode_writes(mode) ? 'W' : 'R', AT_FDCWD, path);
    return f;
}

/* ---- lookups ---- */

int stat(const char *path, struct stat *st) { REAL(stat); int r = real_stat(path, st); record_lookup(AT_FDCWD, path, r); return r; }
int stat64(const char *path, struct stat64 *st) { REAL(stat64); int r = real_stat64(path, st); record_lookup(AT_FDCWD, path, r); return r; }
int lstat(const char *path, struct stat *st) { REAL(lstat); int r = real_lstat(path, st); record_lookup(AT_FDCWD, path, r); return r; }
int lstat64(const char *path, struct stat64 *st) { REAL(lstat64); int r = real_lstat64(path, st); record_lookup(AT_FDCWD, path, r); return r; }
int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    REAL(fstatat); int r = real_fstatat(dirfd, path, st, flags);
    if ((path = launder(path)) && *path) record_lookup(dirfd, path, r);
    return r;
}
int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
    REAL(fstatat64); int r = real_fstatat64(dirfd, path, st, flags);
    if ((path = launder(path)) && *path) record_lookup(dirfd, path, r);
    return r;
}
int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *st)
{
    REAL(statx); int r = real_statx(dirfd, path, flags, mask, st);
    if ((path = launder(path)) && *path) record_lookup(dirfd, path, r);
    return r;
}
int access(const char *path, int mode) { REAL(access); int r = real_access(path, mode); record_lookup(AT_FDCWD, path, r); return r; }
int faccessat(int dirfd, const char *path, int mode, int flags)
{
    REAL(faccessat); int r = real_faccessat(dirfd, path, mode, flags); record_lookup(dirfd, path, r); return r;
}
ssize_t readlink(const char *path, char *buf, size_t size)
{
    REAL(readlink); ssize_t r = real_readlink(path, buf, size);
    if (r >= 0) record_path('R', AT_FDCWD, path);
    else if (errno == ENOENT || errno == ENOTDIR) record_path('A', AT_FDCWD, path);
    return r;
}
char *realpath(const char *path, char *resolved)
{
    REAL(realpath); char *r = real_realpath(path, resolved);
    if (r) record_path('S', AT_FDCWD, path);
    else if (errno == ENOENT || errno == ENOTDIR) record_path('A', AT_FDCWD, path);
    return r;
}

DIR *opendir(const char *path)
{
    REAL(opendir); DIR *d = real_opendir(path);
    if (d) record_path('D', AT_FDCWD, path);
    else if (errno == ENOENT || errno == ENOTDIR) record_path('A', AT_FDCWD, path);
    return d;
}

/* ---- changes to the file system: outputs, or writes the run may not make ---- */

int mkdir(const char *path, mode_t mode) { REAL(mkdir); int r = real_mkdir(path, mode); if (r == 0) record_path('W', AT_FDCWD, path); return r; }
int mkdirat(int dirfd, const char *path, mode_t mode) { REAL(mkdirat); int r = real_mkdirat(dirfd, path, mode); if (r == 0) record_path('W', dirfd, path); return r; }
int rename(const char *from, const char *to)
{
    REAL(rename); int r = real_rename(from, to);
    if (r == 0) { record_path('W', AT_FDCWD, from); record_path('W', AT_FDCWD, to); }
    return r;
}
int renameat(int fromfd, const char *from, int tofd, const char *to)
{
    REAL(renameat); int r = real_renameat(fromfd, from, tofd, to);
    if (r == 0) { record_path('W', fromfd, from); record_path('W', tofd, to); }
    return r;
}
int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
    REAL(renameat2); int r = real_renameat2(fromfd, from, tofd, to, flags);
    if (r == 0) { record_path('W', fromfd, from); record_path('W', tofd, to); }
    return r;
}
int unlink(const char *path) { REAL(unlink); int r = real_unlink(path); if (r == 0) record_path('W', AT_FDCWD, path); return r; }
int unlinkat(int dirfd, const char *path, int flags) { REAL(unlinkat); int r = real_unlinkat(dirfd, path, flags); if (r == 0) record_path('W', dirfd, path); return r; }
int rmdir(const char *path) { REAL(rmdir); int r = real_rmdir(path); if (r == 0) record_path('W', AT_FDCWD, path); return r; }
int symlink(const char *target, const char *path) { REAL(symlink); int r = real_symlink(target, path); if (r == 0) record_path('W', AT_FDCWD, path); return r; }
int symlinkat(const char *target, int dirfd, const char *path) { REAL(symlinkat); int r = real_symlinkat(target, dirfd, path); if (r == 0) record_path('W', dirfd, path); return r; }
int link(const char *from, const char *to) { REAL(link); int r = real_link(from, to); if (r == 0) record_path('W', AT_FDCWD, to); return r; }
int linkat(int fromfd, const char *from, int tofd, const char *to, int flags)
{
    REAL(linkat); int r = real_linkat(fromfd, from, tofd, to, flags); if (r == 0) record_path('W', tofd, to); return r;
}

/* ---- environment ---- */

char *getenv(const char *name)
{
    name = launder(name);
    if (!name) return NULL;
    char *value = (char *)env_value(name);
    if (!own_tool && strcmp(name, LOG_VAR) != 0 && strcmp(name, LIB_VAR) != 0) emit('E', name);
    return value;
}
char *secure_getenv(const char *name) { return getenv(name); }

/* ---- network ---- */

/* cachefarm's own shims reach their daemon, over TCP when CACHEFARM_ENDPOINT says so; what they fetch is keyed by the
 * files they read, which stay traced, so their connections are not the build's network use. */
int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    REAL(connect);
    if (!own_tool && addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) emit('N', "connect");
    return real_connect(fd, addr, len);
}
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
    REAL(getaddrinfo);
    if (!own_tool) emit('N', node ? node : "getaddrinfo");
    return real_getaddrinfo(node, service, hints, res);
}

/* ---- programs ---- */

/* True when path is an ELF executable without an interpreter: no preload can reach it. */
static int is_static_elf(const char *path)
{
    busy++;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    busy--;
    if (fd < 0) return 0;
    Elf64_Ehdr eh;
    int result = 0;
    if (pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0
        && eh.e_ident[EI_CLASS] == ELFCLASS64 && (eh.e_type == ET_EXEC || eh.e_type == ET_DYN)) {
        result = 1;
        for (int i = 0; i < eh.e_phnum; i++) {
            Elf64_Phdr ph;
            if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize)) != (ssize_t)sizeof ph) break;
            if (ph.p_type == PT_INTERP) { result = 0; break; }
        }
        /* A shared library without an interpreter is not run directly; only executables matter here. */
        if (result && eh.e_type == ET_DYN && eh.e_entry == 0) result = 0;
    } else if (pread(fd, &eh, 4, 0) == 4 && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0) {
        result = 1; /* 32-bit or foreign ELF: not something this tracer can follow */
    }
    close(fd);
    return result;
}

/* Resolves a program name as execvp does, reporting each PATH directory that does not have it. */
static const char *resolve_program(const char *file, const char *path_var, char *buf, size_t size)
{
    if (!file || strchr(file, '/')) return file;
    const char *dirs = path_var ? path_var : "/bin:/usr/bin";
    for (const char *p = dirs; ; ) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        snprintf(buf, size, "%.*s%s%s", (int)n, n ? p : ".", "/", file);
        busy++;
        int found = syscall(SYS_faccessat, AT_FDCWD, buf, X_OK) == 0;
        busy--;
        if (found) return buf;
        record_path('A', AT_FDCWD, buf);
        if (!end) break;
        p = end + 1;
    }
    return file;
}

static void check_program(const char *path)
{
    path = launder(path);
    if (disabled || !path) return;
    char buf[PATH_MAX];
    const char *abs = absolute(AT_FDCWD, path, buf, sizeof buf);
    if (abs && is_static_elf(abs)) {
        char why[PATH_MAX + 32];
        snprintf(why, sizeof why, "static program %s", abs);
        emit('!', why);
    }
}

static int has_entry(char *const envp[], const char *name, const char *value)
{
    size_t n = strlen(name);
    for (char *const *e = envp; e && *e; e++) {
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return value == NULL || strstr(*e + n + 1, value) != NULL;
    }
    return 0;
}

/* The child's environment with the tracer in it: a program that cleared LD_PRELOAD or the log keeps being traced. */
static char **traced_env(char *const envp[], char **storage, size_t slots)
{
    const char *lib = lib_path;
    const char *log = log_path;
    if (disabled || !load_paths() || !lib[0]) return (char **)envp;
    if (has_entry(envp, "LD_PRELOAD", lib) && has_entry(envp, LOG_VAR, NULL) && has_entry(envp, LIB_VAR, NULL)) return (char **)envp;
    size_t count = 0;
    while (envp && envp[count]) count++;
    char **out = count + 4 <= slots ? storage : malloc((count + 4) * sizeof *out);
    if (!out) return (char **)envp;
    size_t k = 0;
    static __thread char preload[PATH_MAX * 2], logline[PATH_MAX + 32], libline[PATH_MAX + 32];
    const char *old = NULL;
    for (size_t i = 0; i < count; i++) {
        if (strncmp(envp[i], "LD_PRELOAD=", 11) == 0) { old = envp[i] + 11; continue; }
        if (strncmp(envp[i], LOG_VAR "=", sizeof LOG_VAR) == 0 || strncmp(envp[i], LIB_VAR "=", sizeof LIB_VAR) == 0) continue;
        out[k++] = envp[i];
    }
    if (old && *old && !strstr(old, lib)) snprintf(preload, sizeof preload, "LD_PRELOAD=%s:%s", lib, old);
    else if (old && *old) snprintf(preload, sizeof preload, "LD_PRELOAD=%s", old);
    else snprintf(preload, sizeof preload, "LD_PRELOAD=%s", lib);
    snprintf(logline, sizeof logline, LOG_VAR "=%s", log);
    snprintf(libline, sizeof libline, LIB_VAR "=%s", lib);
    out[k++] = preload;
    out[k++] = logline;
    out[k++] = libline;
    out[k] = NULL;
    return out;
}

#define ENV_SLOTS 1024

int execve(const char *path, char *const argv[], char *const envp[])
{
    REAL(execve);
    check_program(path);
    char *storage[ENV_SLOTS];
    return real_execve(path, argv, traced_env(envp, storage, ENV_SLOTS));
}
int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }
int execvpe(const char *file, char *const argv[], char *const envp[])
{
    char buf[PATH_MAX];
    const char *path = resolve_program(file, env_value("PATH"), buf, sizeof buf);
    if (path == file && !strchr(file, '/')) { errno = ENOENT; return -1; }
    return execve(path, argv, envp);
}
int execvp(const char *file, char *const argv[]) { return execvpe(file, argv, environ); }

static char **collect_args(const char *first, va_list ap, char ***envp_out)
{
    size_t cap = 16, n = 0;
    char **argv = malloc(cap * sizeof *argv);
    if (!argv) return NULL;
    argv[n++] = (char *)first;
    for (char *a; first && (a = va_arg(ap, char *)) != NULL; ) {
        if (n + 2 > cap) { cap *= 2; char **bigger = realloc(argv, cap * sizeof *argv); if (!bigger) { free(argv); return NULL; } argv = bigger; }
        argv[n++] = a;
    }
    argv[n] = NULL;
    if (envp_out) *envp_out = va_arg(ap, char **);
    return argv;
}
int execl(const char *path, const char *arg, ...)
{
    va_list ap; va_start(ap, arg); char **argv = collect_args(arg, ap, NULL); va_end(ap);
    if (!argv) { errno = ENOMEM; return -1; }
    int r = execve(path, argv, environ); free(argv); return r;
}
int execlp(const char *file, const char *arg, ...)
{
    va_list ap; va_start(ap, arg); char **argv = collect_args(arg, ap, NULL); va_end(ap);
    if (!argv) { errno = ENOMEM; return -1; }
    int r = execvp(file, argv); free(argv); return r;
}
int execle(const char *path, const char *arg, ...)
{
    char **envp = NULL;
    va_list ap; va_start(ap, arg); char **argv = collect_args(arg, ap, &envp); va_end(ap);
    if (!argv) { errno = ENOMEM; return -1; }
    int r = execve(path, argv, envp); free(argv); return r;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions, const posix_spawnattr_t *attr,
                char *const argv[], char *const envp[])
{
    REAL(posix_spawn);
    check_program(path);
    char *storage[ENV_SLOTS];
    char **env = traced_env(envp, storage, ENV_SLOTS);
    int r = real_posix_spawn(pid, path, actions, attr, argv, env);
    if (env != (char **)envp && env != storage) free(env);
    return r;
}
int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions, const posix_spawnattr_t *attr,
                 char *const argv[], char *const envp[])
{
    REAL(posix_spawnp);
    char buf[PATH_MAX];
    /* The child's PATH decides, as it does for posix_spawnp itself. */
    const char *path_var = NULL;
    for (char *const *e = envp; e && *e; e++) if (strncmp(*e, "PATH=", 5) == 0) path_var = *e + 5;
    const char *path = resolve_program(file, path_var ? path_var : env_value("PATH"), buf, sizeof buf);
    check_program(path);
    char *storage[ENV_SLOTS];
    char **env = traced_env(envp, storage, ENV_SLOTS);
    int r = real_posix_spawnp(pid, file, actions, attr, argv, env);
    if (env != (char **)envp && env != storage) free(env);
    return r;
}

__attribute__((constructor)) static void trace_start(void)
{
    if (!load_paths()) { disabled = 1; return; }
    char exe[PATH_MAX];
    busy++;
    ssize_t n = (ssize_t)syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", exe, sizeof exe - 1);
    busy--;
    if (n > 0 && !own_tool) { exe[n] = 0; emit('X', exe); }
}

/* Libraries loaded at run time (libclang for bindgen, plugins): the loader's own opens are not traced. */
void *dlopen(const char *file, int mode)
{
    REAL(dlopen);
    void *handle = real_dlopen(file, mode);
    struct link_map *map = NULL;
    if (handle && file && dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name && map->l_name[0] == '/') {
        record_path('R', AT_FDCWD, map->l_name);
    } else if (!handle && file && strchr(file, '/')) {
        record_path('A', AT_FDCWD, file);
    }
    return handle;
}
