/*
 * The review queue's schedule (docs/calibration.md "Schedule"): a thread of
 * `rolefit serve` that, every `every` seconds, re-estimates the bank from
 * the stored answers (the pretest calibration and the drift of the items in
 * use) and runs DIF over every dimension candidates reported
 * (rf_app_review_scheduled). Staff still decide on what it flags.
 *
 * Several serve processes on one database run one schedule: the time of the
 * last run is the store's setting RF_SCHEDULE_KEY, and a process runs only
 * after it has moved that setting from the value it read to its own time
 * (rf_store_setting_swap), so one process of those that see the run due
 * wins it. The interval starts at the first start on a database: the first
 * runs come one interval after it. Times are the server's clock (the wall
 * clock, which the processes share; tests give their own).
 */
#ifndef RF_SERVER_SCHEDULE_H
#define RF_SERVER_SCHEDULE_H

#include "base/err.h"
#include "server/app.h"

#define RF_SCHEDULE_KEY "review_schedule:last"

struct rf_schedule;

/* Starts the thread over app a (borrowed; it outlives the schedule): every
 * seconds (> 0) between runs, clock the seconds it goes by (NULL: the wall
 * clock), tick the seconds between looks at the clock (> 0). A failed run
 * is logged through the app's log and tried again one interval later. */
rf_status rf_schedule_start(struct rf_app *a, double every, double (*clock)(void), double tick,
                            struct rf_schedule **out, struct rf_err *err);

/* Whether it is time to run at now: the store's last run is every seconds
 * old or more, and this process won the run (the setting moved to now). The
 * first look on a database only records now. The thread's step, exposed
 * for tests. */
int rf_schedule_due(struct rf_app *a, double every, double now, struct rf_err *err);

/* Stops the thread (waiting for a run in progress to end) and frees; NULL
 * is a no-op. */
void rf_schedule_stop(struct rf_schedule *s);

#endif
