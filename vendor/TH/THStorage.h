/* THStorage: a reference-counted, typed, contiguous block of memory. */
#ifndef TH_STORAGE_H
#define TH_STORAGE_H

#include "THGeneral.h"
#include "THAllocator.h"
#include "THHalf.h"

#define THStorage TH_CONCAT_3(TH, Real, Storage)
#define THStorage_(NAME) TH_CONCAT_4(TH, Real, Storage_, NAME)

#define TH_STORAGE_REFCOUNTED 1
#define TH_STORAGE_RESIZABLE 2
#define TH_STORAGE_FREEMEM 4
#define TH_STORAGE_VIEW 8

/* The struct definitions first, for every type, since the copy functions name all of them. */
#define TH_GENERIC_FILE "generic/THStorage.h"
#define TH_GENERIC_STRUCT_ONLY
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_STRUCT_ONLY
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_FILE

#endif
