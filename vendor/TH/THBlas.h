/* THBlas: BLAS levels 1-3 for every type, column-major as Fortran BLAS. Float and double go to
 * OpenBLAS when the build found it (TH_HAVE_BLAS); the other types, or no BLAS, use loops. */
#ifndef TH_BLAS_H
#define TH_BLAS_H

#include "THGeneral.h"

#define THBlas_(NAME) TH_CONCAT_4(TH, Real, Blas_, NAME)

#define TH_GENERIC_FILE "generic/THBlas.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE

/* torchbind extensions: what `python -m torchbind info` reports. */
TH_EXPORT const char *THBlas_name(void);
TH_EXPORT void THBlas_setNumThreads(int n);

#endif
