/* Fault injection for SQLite in tests; see faultvfs.h. */
#include "faultvfs.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>

/* What is armed, under mu; the counters are atomic so that counting costs no lock. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int armed_kind = -1;
static unsigned long armed_n;
static int armed_error;
static int armed_persistent;
static unsigned long fired;
static atomic_ulong count[FAULT_NKIND];

static sqlite3_vfs *real_vfs;
static sqlite3_mem_methods real_mem;
static int installed;

const char *faultvfs_kind_name(enum fault_kind kind)
{
    static const char *const names[FAULT_NKIND] = {"write", "sync", "truncate", "malloc"};
    return kind < FAULT_NKIND ? names[kind] : "?";
}

/* Counts one operation of kind; returns the error it must fail with, or 0. */
static int tick(enum fault_kind kind)
{
    unsigned long n = atomic_fetch_add(&count[kind], 1) + 1;
    int rc = 0;
    pthread_mutex_lock(&mu);
    if (armed_kind == (int)kind && (n == armed_n || (armed_persistent && n > armed_n))) {
        fired++;
        rc = armed_error ? armed_error : SQLITE_IOERR;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

void faultvfs_arm(enum fault_kind kind, unsigned long n, int error, int persistent)
{
    pthread_mutex_lock(&mu);
    for (int k = 0; k < FAULT_NKIND; k++)
        atomic_store(&count[k], 0);
    armed_kind = n ? (int)kind : -1;
    armed_n = n;
    armed_error = error;
    armed_persistent = persistent;
    fired = 0;
    pthread_mutex_unlock(&mu);
}

unsigned long faultvfs_disarm(void)
{
    pthread_mutex_lock(&mu);
    unsigned long f = fired;
    armed_kind = -1;
    fired = 0;
    pthread_mutex_unlock(&mu);
    return f;
}

unsigned long faultvfs_fired(void)
{
    pthread_mutex_lock(&mu);
    unsigned long f = fired;
    pthread_mutex_unlock(&mu);
    return f;
}

unsigned long faultvfs_count(enum fault_kind kind)
{
    return atomic_load(&count[kind]);
}

/* ---- the VFS shim: a file is our header followed by the real VFS's file ---- */

struct ffile {
    sqlite3_file base;
    sqlite3_file *real; /* points just past this struct */
};

static struct ffile *ff(sqlite3_file *f)
{
    return (struct ffile *)f;
}

static int f_close(sqlite3_file *f)
{
    sqlite3_file *r = ff(f)->real;
    int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    f->pMethods = NULL;
    return rc;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xRead(r, buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int rc = tick(FAULT_WRITE);
    if (rc)
        return rc;
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xWrite(r, buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = tick(FAULT_TRUNCATE);
    if (rc)
        return rc;
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xTruncate(r, size);
}

/* Counted and possibly failed, but not passed down: see faultvfs.h. */
static int f_sync(sqlite3_file *f, int flags)
{
    (void)f;
    (void)flags;
    return tick(FAULT_SYNC);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xFileSize(r, size);
}

static int f_lock(sqlite3_file *f, int lock)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xLock(r, lock);
}

static int f_unlock(sqlite3_file *f, int lock)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xUnlock(r, lock);
}

static int f_check_lock(sqlite3_file *f, int *out)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xCheckReservedLock(r, out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xFileControl(r, op, arg);
}

static int f_sector(sqlite3_file *f)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xSectorSize(r);
}

static int f_device(sqlite3_file *f)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xDeviceCharacteristics(r);
}

static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xShmMap(r, pg, sz, extend, p);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xShmLock(r, off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
    sqlite3_file *r = ff(f)->real;
    r->pMethods->xShmBarrier(r);
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xShmUnmap(r, del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xFetch(r, off, n, p);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    sqlite3_file *r = ff(f)->real;
    return r->pMethods->xUnfetch(r, off, p);
}

/* Methods by the real file's version (0-3), filled by faultvfs_install: a
 * shim must not offer what the real file lacks. */
static sqlite3_io_methods methods[4];

static void methods_init(void)
{
    const sqlite3_io_methods all = {
        .xClose = f_close,
        .xRead = f_read,
        .xWrite = f_write,
        .xTruncate = f_truncate,
        .xSync = f_sync,
        .xFileSize = f_size,
        .xLock = f_lock,
        .xUnlock = f_unlock,
        .xCheckReservedLock = f_check_lock,
        .xFileControl = f_control,
        .xSectorSize = f_sector,
        .xDeviceCharacteristics = f_device,
        .xShmMap = f_shm_map,
        .xShmLock = f_shm_lock,
        .xShmBarrier = f_shm_barrier,
        .xShmUnmap = f_shm_unmap,
        .xFetch = f_fetch,
        .xUnfetch = f_unfetch,
    };
    for (int v = 0; v < 4; v++) {
        methods[v] = all;
        methods[v].iVersion = v;
        if (v < 2) {
            methods[v].xShmMap = NULL;
            methods[v].xShmLock = NULL;
            methods[v].xShmBarrier = NULL;
            methods[v].xShmUnmap = NULL;
        }
        if (v < 3) {
            methods[v].xFetch = NULL;
            methods[v].xUnfetch = NULL;
        }
    }
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    struct ffile *p = ff(f);
    p->real = (sqlite3_file *)(p + 1);
    memset(p->real, 0, (size_t)real_vfs->szOsFile);
    f->pMethods = NULL;
    int rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out_flags);
    if (p->real->pMethods) {
        int v = p->real->pMethods->iVersion;
        f->pMethods = &methods[v < 0 ? 0 : v > 3 ? 3 : v];
    }
    return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, h);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *t)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, t);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, msg) : 0;
}

static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static sqlite3_vfs fault_vfs = {
    .zName = "faultvfs",
    .xOpen = v_open,
    .xDelete = v_delete,
    .xAccess = v_access,
    .xFullPathname = v_full,
    .xDlOpen = v_dlopen,
    .xDlError = v_dlerror,
    .xDlSym = v_dlsym,
    .xDlClose = v_dlclose,
    .xRandomness = v_random,
    .xSleep = v_sleep,
    .xCurrentTime = v_time,
    .xGetLastError = v_last_error,
    .xCurrentTimeInt64 = v_time64,
};

/* ---- the allocator wrapper ---- */

static void *m_malloc(int n)
{
    return tick(FAULT_MALLOC) ? NULL : real_mem.xMalloc(n);
}

static void *m_realloc(void *p, int n)
{
    return tick(FAULT_MALLOC) ? NULL : real_mem.xRealloc(p, n);
}

int faultvfs_install(void)
{
    if (installed)
        return 0;
    /* the allocator can only be replaced while SQLite is shut down */
    if (sqlite3_shutdown() != SQLITE_OK)
        return -1;
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
        return -1;
    sqlite3_mem_methods mem = real_mem;
    mem.xMalloc = m_malloc;
    mem.xRealloc = m_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK)
        return -1;
    if (sqlite3_initialize() != SQLITE_OK)
        return -1;
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return -1;
    methods_init();
    fault_vfs.iVersion = real_vfs->iVersion < 2 ? real_vfs->iVersion : 2;
    fault_vfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
    fault_vfs.mxPathname = real_vfs->mxPathname;
    if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK)
        return -1;
    installed = 1;
    return 0;
}
