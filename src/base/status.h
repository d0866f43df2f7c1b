/*
 * Status codes returned by every fallible function of librolefit.
 * RF_OK is 0; every other value is an error class. Details of an error (file,
 * line, field) live in the struct rf_err of the object that failed.
 */
#ifndef RF_STATUS_H
#define RF_STATUS_H

typedef enum {
    RF_OK = 0,
    RF_ENOMEM,     /* allocation failed */
    RF_EINVAL,     /* invalid argument or malformed input */
    RF_ENOTFOUND,  /* a named thing does not exist */
    RF_EIO,        /* reading or writing a file failed */
    RF_EDB,        /* the database reported an error */
    RF_ETOOBIG,    /* input exceeds a configured cap */
    RF_ERANGE,     /* no finite result exists (e.g. MLE of a perfect score) */
    RF_ECONFLICT,  /* state conflicts with the request (already answered, duplicate) */
    RF_EPERM,      /* not allowed */
    RF_EUNSUPPORTED, /* a construct rolefit does not handle */
    RF_EFULL,      /* no space left where data is written (a full disk): try again later */
    RF_EUNAVAIL,   /* the database server cannot be reached right now: try again later */
    RF_STATUS_COUNT
} rf_status;

/* Static, human-readable text for a status; never NULL. */
const char *rf_strerror(rf_status rc);

#endif
