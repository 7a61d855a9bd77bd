/*
 * LD_PRELOAD layer for the power-cut tests: remembers, for every file under
 * MEETNET_POWER_CUT_DIR, how much of it an fsync has made durable, so that the test can
 * afterwards throw away what a real power cut would (tests/src/support/power-cut.ts).
 *
 * It changes no I/O: writes go to the page cache as usual, so a killed process still leaves
 * them behind. The ledger (MEETNET_POWER_CUT_LEDGER, appended with O_APPEND, one record per
 * line) plays the disk's memory:
 *   sync\t<bytes>\t<path>   an fsync or fdatasync of <path> returned 0; <bytes> is the file's
 *                           size taken before the call, so bytes written while it ran (other
 *                           threads) are never counted as covered
 *   rename\t<from>\t<to>    <from> became <to>
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ledger = -1;
static const char *watched;
static size_t watched_len;
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);

__attribute__((constructor)) static void init(void) {
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  real_rename = dlsym(RTLD_NEXT, "rename");
  watched = getenv("MEETNET_POWER_CUT_DIR");
  const char *path = getenv("MEETNET_POWER_CUT_LEDGER");
  if (!watched || !path) return;
  watched_len = strlen(watched);
  ledger = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

static int is_watched(const char *path) {
  return ledger >= 0 && strncmp(path, watched, watched_len) == 0;
}

static void record(const char *line, int length) {
  if (length > 0 && length < PATH_MAX * 2 + 32) (void)!write(ledger, line, (size_t)length);
}

/* The file's path and size before the sync, or 0 if it is not watched. */
static int before_sync(int fd, char *path, long long *size) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, PATH_MAX - 1);
  if (n < 0) return 0;
  path[n] = 0;
  if (!is_watched(path)) return 0;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  *size = (long long)st.st_size;
  return 1;
}

static int synced(int fd, int (*real)(int)) {
  char path[PATH_MAX];
  long long size = 0;
  int watched_fd = before_sync(fd, path, &size);
  int result = real(fd);
  if (result == 0 && watched_fd) {
    char line[PATH_MAX + 64];
    record(line, snprintf(line, sizeof line, "sync\t%lld\t%s\n", size, path));
  }
  return result;
}

int fsync(int fd) { return synced(fd, real_fsync); }
int fdatasync(int fd) { return synced(fd, real_fdatasync); }

int rename(const char *from, const char *to) {
  int result = real_rename(from, to);
  if (result == 0 && is_watched(to)) {
    char absolute_from[PATH_MAX], absolute_to[PATH_MAX], line[PATH_MAX * 2 + 32];
    /* The target exists now; the source's directory is the target's for every rename here. */
    if (!realpath(to, absolute_to)) return result;
    if (from[0] == '/') snprintf(absolute_from, sizeof absolute_from, "%s", from);
    else if (!getcwd(absolute_from, sizeof absolute_from)) return result;
    else {
      size_t len = strlen(absolute_from);
      snprintf(absolute_from + len, sizeof absolute_from - len, "/%s", from);
    }
    record(line, snprintf(line, sizeof line, "rename\t%s\t%s\n", absolute_from, absolute_to));
  }
  return result;
}
