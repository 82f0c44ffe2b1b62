/* THTensor: a strided view (sizes, strides, offset) of a storage. */
#ifndef TH_TENSOR_H
#define TH_TENSOR_H

#include "THStorage.h"

#define THTensor TH_CONCAT_3(TH, Real, Tensor)
#define THTensor_(NAME) TH_CONCAT_4(TH, Real, Tensor_, NAME)

#define TH_TENSOR_REFCOUNTED 1

#define TH_GENERIC_FILE "generic/THTensor.h"
#define TH_GENERIC_STRUCT_ONLY
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_STRUCT_ONLY
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_FILE

#define TH_GENERIC_FILE "generic/THTensorCopy.h"
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_FILE

#define TH_GENERIC_FILE "generic/THTensorMath.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE

/* The rest of TensorMath, one concept a file. Each header is instantiated for the seven math
 * types and guards its type-restricted functions with TH_REAL_IS_* itself. */
#include "THRandom.h"
#define TH_GENERIC_FILE "generic/THTensorPointwise.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
#define TH_GENERIC_FILE "generic/THTensorReduce.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
#define TH_GENERIC_FILE "generic/THTensorIndex.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
#define TH_GENERIC_FILE "generic/THTensorRandom.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
#define TH_GENERIC_FILE "generic/THTensorLapack.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
#define TH_GENERIC_FILE "generic/THTensorConv.h"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE

#endif
