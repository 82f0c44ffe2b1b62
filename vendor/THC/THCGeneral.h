/* THCGeneral: the THC state, errors, device memory, and the macros every THC source uses.
 *
 * libTHC is cutorch's THC API (torchbind/thc_api.tsv) over our own libTH: the CUDA structs mirror
 * TH's, every function takes the THCState first, and errors follow TH's design: nothing exits or
 * aborts; the public entry points (THCExports.c, generated from the table) catch an error, park
 * its message per thread (THCError_take) and return. CUDA failures (no device, out of memory, a
 * failed launch) are errors of TH's kinds (TH_ERR_MEMORY, TH_ERR_RUNTIME ...). */
#ifndef THC_GENERAL_H
#define THC_GENERAL_H

#include "TH.h"
#include <cuda_runtime_api.h>

#ifdef __cplusplus
#define THC_EXTERNC extern "C"
#else
#define THC_EXTERNC extern
#endif

/* Inside the library every public name is NAME_impl (THCRename.h, generated from the table) and
 * hidden; THCExports.c defines the public names as guarded wrappers of them. */
#ifdef THC_IMPL
#include "THCRename.h"
#define THC_API THC_EXTERNC __attribute__((visibility("hidden")))
#else
#define THC_API THC_EXTERNC __attribute__((visibility("default")))
#endif
#define THC_EXPORT THC_EXTERNC __attribute__((visibility("default")))

/* Upstream names the dimension limit after cutorch; tensors have at most TH_MAX_DIM dimensions. */
#define THC_DESC_BUFF_LEN 64
typedef struct {
  char str[THC_DESC_BUFF_LEN];
} THCDescBuff;

/* Where device memory comes from. The default one is cudaMalloc/cudaFree. */
typedef struct THCDeviceAllocator {
  cudaError_t (*malloc)(void *ctx, void **ptr, size_t size, cudaStream_t stream);
  cudaError_t (*realloc)(void *ctx, void **ptr, size_t oldSize, size_t newSize, cudaStream_t stream);
  cudaError_t (*free)(void *ctx, void *ptr);
  cudaError_t (*emptyCache)(void *ctx);
  cudaError_t (*cacheInfo)(void *ctx, int device, size_t *cachedAndFree, size_t *largestBlock);
} THCDeviceAllocator;

typedef struct THCState THCState; /* opaque: see THCGeneral.c */

THC_API THCState *THCState_alloc(void);
THC_API void THCState_free(THCState *state);
THC_API void THCudaInit(THCState *state);
THC_API void THCudaShutdown(THCState *state);
THC_API int THCState_getNumDevices(THCState *state);
THC_API cudaStream_t THCState_getCurrentStream(THCState *state);
THC_API cudaStream_t THCState_getCurrentStreamOnDevice(THCState *state, int device);
THC_API int THCState_getCurrentStreamIndex(THCState *state);
THC_API THCDeviceAllocator *THCState_getDeviceAllocator(THCState *state);
THC_API void THCState_setDeviceAllocator(THCState *state, THCDeviceAllocator *allocator);
THC_API int THCState_isCachingAllocatorEnabled(THCState *state);
THC_API struct cudaDeviceProp *THCState_getCurrentDeviceProperties(THCState *state);
THC_API void THCSetGCHandler(THCState *state, void (*torchGCHandlerFunction)(void *data), void *data);
THC_API void THCHeapUpdate(THCState *state, ptrdiff_t size);
THC_API cudaError_t THCudaMalloc(THCState *state, void **ptr, size_t size);
THC_API cudaError_t THCudaFree(THCState *state, void *ptr);
THC_API cudaError_t THCudaMemGetInfo(THCState *state, size_t *freeBytes, size_t *totalBytes);
THC_API cudaError_t THCudaMemGetInfoCached(THCState *state, size_t *freeBytes, size_t *totalBytes,
                                           size_t *largestBlock);
/* torchbind's extensions (not in upstream's table) */
THC_API void THCState_synchronize(THCState *state);
THC_API int THCState_deviceDescription(THCState *state, int device, char *buf, size_t len);
THC_API const char *THCState_blasName(THCState *state);

/* The error hand-over, as libTH's THError_take / THErrorPendingCount (see THGuard.h). */
THC_EXPORT int THCError_take(char *msg, size_t len);
THC_EXPORT volatile long THCErrorPendingCount;

/* ---- inside the library ------------------------------------------------------------------- */
#ifdef THC_IMPL

/* Raise an error of a TH kind (TH_ERR_*): parks the message and unwinds to the entry point. */
THC_EXTERNC void _THCErrorKind(int kind, const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5), visibility("hidden")));
THC_EXTERNC void _THCArgCheck(const char *file, int line, int condition, int argNumber,
                              const char *fmt, ...)
    __attribute__((format(printf, 5, 6), visibility("hidden")));
THC_EXTERNC void _THCudaCheck(cudaError_t err, const char *file, int line, const char *what)
    __attribute__((visibility("hidden")));
/* After a call into libTH: its parked error, if any, becomes this entry point's error. */
THC_EXTERNC void THC_checkTH(void) __attribute__((visibility("hidden")));

#define THCError(...) _THCErrorKind(TH_ERR_RUNTIME, __FILE__, __LINE__, __VA_ARGS__)
#define THCArgCheck(COND, ARG, ...) _THCArgCheck(__FILE__, __LINE__, (COND), (ARG), __VA_ARGS__)
#define THCIndexCheck(COND, ...) \
  do {                           \
    if (!(COND)) _THCErrorKind(TH_ERR_INDEX, __FILE__, __LINE__, __VA_ARGS__); \
  } while (0)
#define THCMemoryError(...) _THCErrorKind(TH_ERR_MEMORY, __FILE__, __LINE__, __VA_ARGS__)
#define THCudaCheck(EXPR) _THCudaCheck((EXPR), __FILE__, __LINE__, #EXPR)

/* Host and device memory that raise instead of returning NULL. */
THC_EXTERNC void *THC_hostAlloc(size_t size) __attribute__((visibility("hidden")));
THC_EXTERNC void *THC_hostRealloc(void *ptr, size_t size) __attribute__((visibility("hidden")));
THC_EXTERNC void *THC_deviceAlloc(THCState *state, size_t size) __attribute__((visibility("hidden")));
/* through a given allocator (NULL: the state's), whose malloc gets ctx */
THC_EXTERNC void *THC_deviceAllocWith(THCState *state, THCDeviceAllocator *allocator, void *ctx,
                                      size_t size) __attribute__((visibility("hidden")));
THC_EXTERNC void THC_deviceFree(THCState *state, void *ptr) __attribute__((visibility("hidden")));
THC_EXTERNC int THC_currentDevice(void) __attribute__((visibility("hidden")));
/* Fails unless THCudaInit succeeded on this state. */
THC_EXTERNC void THC_checkState(THCState *state) __attribute__((visibility("hidden")));
/* The random generator: the seed, and a fresh offset for each call that draws numbers. */
THC_EXTERNC void THC_rngNext(THCState *state, unsigned long long *seed, unsigned long long *offset)
    __attribute__((visibility("hidden")));
THC_EXTERNC void *THC_blasHandle(THCState *state) __attribute__((visibility("hidden")));

#endif /* THC_IMPL */

#endif
