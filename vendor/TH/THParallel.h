/* THParallel: how many threads the kernels may use, and the size above which they split work. */
#ifndef TH_PARALLEL_H
#define TH_PARALLEL_H

#include "THGeneral.h"

/* Work below this many elements runs on one thread: starting a team costs more than it saves. */
#define TH_OMP_THRESHOLD 100000

TH_EXPORT void THParallel_setNumThreads(int n);
TH_EXPORT int THParallel_getNumThreads(void);

#endif
