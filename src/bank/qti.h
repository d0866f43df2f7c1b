/*
 * IMS QTI 2.1: the one reader and writer of rolefit for QTI. Reads
 * assessmentItem documents with a single-response choiceInteraction, loose
 * or inside a zipped IMS content package (imsmanifest.xml with resources of
 * type imsqti_item_xmlv2p1); writes one assessmentItem per item plus a
 * manifest, into a directory or a zip package. Other interactions, multiple
 * response, images, MathML and the like are reported as notes by element name
 * and line (struct rf_import), never dropped silently. Malformed XML is an
 * error "FILE:LINE:COLUMN: message". Markup mapping, metadata and limits:
 * docs/bank-exchange.md.
 */
#ifndef RF_BANK_QTI_H
#define RF_BANK_QTI_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/import.h"
#include "base/buf.h"
#include "base/err.h"

/* Reads one QTI XML document held in memory (the fuzz entry point); name is
 * used in messages. An assessmentItem adds at most one item; an
 * assessmentTest or a manifest given loose adds a note. */
rf_status rf_qti_read_mem(const char *name, const char *data, size_t len, struct rf_import *im,
                          struct rf_err *err);

/* Reads a zipped content package held in memory: every item resource of its
 * manifest, in manifest order. */
rf_status rf_qti_read_package_mem(const char *name, const void *data, size_t len,
                                  struct rf_import *im, struct rf_err *err);

/* Reads a file: a zip package when it starts with "PK\3\4", else XML. */
rf_status rf_qti_read_file(const char *path, struct rf_import *im, struct rf_err *err);

/* Appends the assessmentItem document of one mcq item (key, explanation as
 * modalFeedback, and rolefit metadata in a comment). RF_EINVAL for a rubric
 * item; RF_ETOOBIG at the buffer's cap. */
rf_status rf_qti_write_item(const struct rf_item *it, struct rf_buf *out);

/* Writes the mcq items of b as a content package: into directory dest
 * (created when missing; imsmanifest.xml and one ITEM_ID.xml per item), or,
 * when dest ends in ".zip", into that zip file. *nskipped counts items not
 * exported (rubric items). */
rf_status rf_qti_export(const struct rf_bank *b, const char *dest, size_t *nskipped,
                        struct rf_err *err);

#endif
