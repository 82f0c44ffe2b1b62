/* THVector: kernels over contiguous arrays, the inner loops of the tensor math. Each is compiled
 * for several instruction sets and the best one for this CPU is picked at load time. */
#ifndef TH_VECTOR_H
#define TH_VECTOR_H

#include "THGeneral.h"

#define THVector_(NAME) TH_CONCAT_4(TH, Real, Vector_, NAME)

#define TH_GENERIC_FILE "generic/THVector.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE

/* torchbind extension: the widest SIMD level this CPU offers to the kernels. */
TH_EXPORT const char *THVector_simdLevel(void);

#endif
