/* THLapack: LAPACK for float and double (filled in by the issue-3 work). */
#ifndef TH_LAPACK_H
#define TH_LAPACK_H

#include "THGeneral.h"

#define THLapack_(NAME) TH_CONCAT_4(TH, Real, Lapack_, NAME)

#define TH_GENERIC_FILE "generic/THLapack.h"
#include "THGenerateFloatTypes.h"
#undef TH_GENERIC_FILE

#endif
