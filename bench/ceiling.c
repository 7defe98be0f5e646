/* The raw ceiling of durable file intake on this machine, with no web server and no database:
 * THREADS threads, each writing SIZE bytes to new files for SECONDS seconds. Each file is
 * written, fsynced and made durable in its directory the way the chosen LAYOUT does it:
 *   flat-rename  a temporary name, rename to the final name, fsync the one directory
 *                (the ceiling of issue 15's table);
 *   fanned       the final name at once in one of 256 subdirectories, fsync that directory.
 * Prints "<files> <seconds>" on stdout. Built and run by bench/intake.py.
 * Usage: ceiling DIR THREADS SECONDS SIZE LAYOUT */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *dir;
static size_t size;
static int fanned;
static double seconds;
static atomic_long done;
static char *buffer;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void check(int ok, const char *what) {
    if (!ok) { perror(what); exit(1); }
}

static void sync_dir(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    check(fd >= 0, "open dir");
    check(fsync(fd) == 0, "fsync dir");
    close(fd);
}

static void *worker(void *arg) {
    long id = (long)arg;
    unsigned seed = (unsigned)id * 7919u + 1;
    char tmp[512], final[512], sub[512];
    double end = now() + seconds;
    for (long n = 0; now() < end; n++) {
        unsigned bucket = rand_r(&seed) & 0xff;
        if (fanned) {
            snprintf(sub, sizeof sub, "%s/%02x", dir, bucket);
            snprintf(final, sizeof final, "%s/%02x/%08lx%08lx.f", dir, bucket, id, n);
        } else {
            snprintf(tmp, sizeof tmp, "%s/.tmp-%08lx%08lx", dir, id, n);
            snprintf(final, sizeof final, "%s/%08lx%08lx.f", dir, id, n);
        }
        int fd = open(fanned ? final : tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
        check(fd >= 0, "open");
        for (size_t off = 0; off < size;) {
            ssize_t w = write(fd, buffer + off, size - off);
            check(w > 0, "write");
            off += (size_t)w;
        }
        check(fsync(fd) == 0, "fsync");
        close(fd);
        if (fanned) {
            sync_dir(sub);
        } else {
            check(rename(tmp, final) == 0, "rename");
            sync_dir(dir);
        }
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: ceiling DIR THREADS SECONDS SIZE flat-rename|fanned\n"); return 2; }
    dir = argv[1];
    int threads = atoi(argv[2]);
    seconds = atof(argv[3]);
    size = (size_t)atol(argv[4]);
    fanned = strcmp(argv[5], "fanned") == 0;
    buffer = malloc(size);
    memset(buffer, 'x', size);
    if (fanned) {
        for (int b = 0; b < 256; b++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s/%02x", dir, b);
            check(mkdir(sub, 0700) == 0, "mkdir");
        }
        sync_dir(dir);
    }
    pthread_t t[256];
    double start = now();
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    printf("%ld %.3f\n", atomic_load(&done), now() - start);
    return 0;
}
