/*
 * Fault injection for SQLite, for tests only (never linked into rolefit): a
 * VFS shim over the default VFS and a wrapper of SQLite's allocator, the way
 * SQLite's own test suite injects faults (its test_vfs.c and the
 * SQLITE_CONFIG_MALLOC hook of malloc_common.tcl).
 *
 * faultvfs_install registers the shim as the default VFS, so every database
 * a server of the test process opens goes through it, and installs the
 * allocator wrapper; it must run before anything else in the process touches
 * SQLite. Every xWrite, xSync and xTruncate of every file (database, WAL,
 * temporary files) and every allocation SQLite makes are counted per kind
 * from the last faultvfs_arm; the Nth one of the armed kind fails with the armed
 * error (and, when persistent, every later one too) until faultvfs_disarm.
 * The shim does not pass xSync down to the disk: the test checks error paths,
 * not durability across power cuts, and a real sync would cost a millisecond
 * or more per commit. Thread-safe.
 */
#ifndef RF_TEST_FAULTVFS_H
#define RF_TEST_FAULTVFS_H

enum fault_kind { FAULT_WRITE, FAULT_SYNC, FAULT_TRUNCATE, FAULT_MALLOC, FAULT_NKIND };

/* Registers the shim VFS (as the default) and the allocator wrapper. Returns
 * 0, or -1 when SQLite was already initialized with open connections or
 * refused the configuration. Idempotent. */
int faultvfs_install(void);

/* Starts counting operations of every kind from 0 and arms a fault: the nth
 * operation of kind (n >= 1) fails with error (an SQLite result code such as
 * SQLITE_FULL or SQLITE_IOERR_WRITE; ignored for FAULT_MALLOC, which returns
 * NULL), and with persistent every later one of that kind as well. n == 0
 * arms nothing and only counts. */
void faultvfs_arm(enum fault_kind kind, unsigned long n, int error, int persistent);

/* Stops failing operations. Returns how many operations the armed fault
 * failed since faultvfs_arm (0 when the nth operation never came). */
unsigned long faultvfs_disarm(void);

/* How many operations the armed fault has failed so far (0 when disarmed). */
unsigned long faultvfs_fired(void);

/* Operations of kind counted since the last faultvfs_arm. */
unsigned long faultvfs_count(enum fault_kind kind);

/* "write", "sync", "truncate", "malloc". */
const char *faultvfs_kind_name(enum fault_kind kind);

#endif
