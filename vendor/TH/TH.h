/* TH: the Torch7 tensor library, as one header. */
#ifndef TH_INC
#define TH_INC

#include "THGeneral.h"
#include "THAllocator.h"
#include "THAtomic.h"
#include "THBlas.h"
#include "THFile.h"
#include "THDiskFile.h"
#include "THMemoryFile.h"
#include "THPipeFile.h"
#include "THHalf.h"
#include "THLapack.h"
#include "THLogAdd.h"
#include "THRandom.h"
#include "THSize.h"
#include "THStorage.h"
#include "THTensor.h"
#include "THVector.h"

#endif
