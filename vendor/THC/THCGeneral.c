/* THCGeneral: the state, errors, device memory and device information. */
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include "THC.h"
#include "THGuard.h" /* libTH's header; the state it declares is libTHC's own (hidden) */
#ifdef THC_HAVE_CUBLAS
#include <cublas_v2.h>
#endif

#define THC_DEFAULT_SEED 67280421310721ULL

struct THCState {
  int initialized;
  int numDevices;
  struct cudaDeviceProp *props; /* one per device, read by THCudaInit */
  THCDeviceAllocator *allocator;
  void (*gcHandler)(void *data);
  void *gcData;
  unsigned long long initialSeed;
  unsigned long long seed;   /* the Philox key */
  unsigned long long offset; /* the Philox counter's high half: one value per drawing call */
  pthread_mutex_t lock;      /* seed, offset and the BLAS handle */
  void *blas;                /* cublasHandle_t, made on first use */
};

/* ---- errors ------------------------------------------------------------------------------ */

_Thread_local THErrorState THErrorState_tls;
volatile long THCErrorPendingCount = 0;

/* Parks the message for THCError_take and unwinds to the entry point (never exits: every public
 * function is a guarded wrapper, so there always is one). */
static void __attribute__((noreturn)) raise_error(int kind, const char *msg)
{
  THErrorState *st = &THErrorState_tls;
  if (!st->landing) {
    fprintf(stderr, "THC error outside any entry point: %s\n", msg);
    abort();
  }
  if (st->kind == TH_ERR_NONE) __atomic_add_fetch(&THCErrorPendingCount, 1, __ATOMIC_SEQ_CST);
  st->kind = kind;
  if (msg != st->msg) snprintf(st->msg, sizeof st->msg, "%s", msg);
  jmp_buf *landing = st->landing;
  st->landing = NULL;
  longjmp(*landing, 1);
}

static void format_message(char *buf, size_t len, const char *file, int line, const char *fmt,
                           va_list args)
{
  int n = vsnprintf(buf, len, fmt, args);
  if (n >= 0 && (size_t)n < len) snprintf(buf + n, len - (size_t)n, " at %s:%d", file, line);
}

void _THCErrorKind(int kind, const char *file, int line, const char *fmt, ...)
{
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  raise_error(kind, msg);
}

void _THCArgCheck(const char *file, int line, int condition, int argNumber, const char *fmt, ...)
{
  if (condition) return;
  char msg[TH_ERROR_MSG_LEN], full[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  snprintf(full, sizeof full, "invalid argument %d: %s", argNumber, msg);
  raise_error(TH_ERR_ARG, full);
}

void _THCudaCheck(cudaError_t err, const char *file, int line, const char *what)
{
  if (err == cudaSuccess) return;
  (void)cudaGetLastError(); /* clear it, so that later calls do not report it again */
  _THCErrorKind(err == cudaErrorMemoryAllocation ? TH_ERR_MEMORY : TH_ERR_RUNTIME, file, line,
                "cuda runtime error (%d): %s (in %s)", (int)err, cudaGetErrorString(err), what);
}

void THC_checkTH(void)
{
  if (!THErrorPendingCount) return;
  char msg[TH_ERROR_MSG_LEN];
  int kind = THError_take(msg, sizeof msg);
  if (kind) raise_error(kind, msg);
}

int THCError_take(char *msg, size_t len)
{
  THErrorState *st = &THErrorState_tls;
  int kind = st->kind;
  if (kind == TH_ERR_NONE) return 0;
  if (msg && len) snprintf(msg, len, "%s", st->msg);
  st->kind = TH_ERR_NONE;
  __atomic_sub_fetch(&THCErrorPendingCount, 1, __ATOMIC_SEQ_CST);
  return kind;
}

/* ---- memory ------------------------------------------------------------------------------ */

void *THC_hostAlloc(size_t size)
{
  void *p = malloc(size ? size : 1);
  if (!p) THCMemoryError("not enough host memory: tried to allocate %zu bytes", size);
  return p;
}

void *THC_hostRealloc(void *ptr, size_t size)
{
  void *p = realloc(ptr, size ? size : 1);
  if (!p) THCMemoryError("not enough host memory: tried to allocate %zu bytes", size);
  return p;
}

static cudaError_t default_malloc(void *ctx, void **ptr, size_t size, cudaStream_t stream)
{
  (void)ctx;
  (void)stream;
  return cudaMalloc(ptr, size);
}

static cudaError_t default_free(void *ctx, void *ptr)
{
  (void)ctx;
  return cudaFree(ptr);
}

static cudaError_t default_empty(void *ctx)
{
  (void)ctx;
  return cudaSuccess;
}

static THCDeviceAllocator default_allocator = {default_malloc, NULL, default_free, default_empty,
                                               NULL};

void THC_checkState(THCState *state)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  if (!state->initialized)
    THCError("THCState is not initialized (THCudaInit has not succeeded on it)");
}

int THC_currentDevice(void)
{
  int device = -1;
  if (cudaGetDevice(&device) != cudaSuccess) {
    (void)cudaGetLastError();
    return -1;
  }
  return device;
}

void *THC_deviceAllocWith(THCState *state, THCDeviceAllocator *allocator, void *ctx, size_t size)
{
  if (size == 0) return NULL;
  THC_checkState(state);
  if (!allocator) allocator = state->allocator;
  void *p = NULL;
  cudaError_t err = allocator->malloc(ctx, &p, size, NULL);
  if (err == cudaErrorMemoryAllocation && state->gcHandler) {
    (void)cudaGetLastError();
    state->gcHandler(state->gcData);
    err = allocator->malloc(ctx, &p, size, NULL);
  }
  if (err == cudaErrorMemoryAllocation) {
    (void)cudaGetLastError();
    THCMemoryError("cuda runtime error (%d): out of memory: tried to allocate %.2f GiB on the GPU",
                   (int)err, (double)size / 1073741824.0);
  }
  THCudaCheck(err);
  return p;
}

void *THC_deviceAlloc(THCState *state, size_t size)
{
  return THC_deviceAllocWith(state, NULL, NULL, size);
}

void THC_deviceFree(THCState *state, void *ptr)
{
  if (!ptr) return;
  THCDeviceAllocator *a = state ? state->allocator : &default_allocator;
  if (a->free(NULL, ptr) != cudaSuccess) (void)cudaGetLastError(); /* freeing never raises */
}

cudaError_t THCudaMalloc(THCState *state, void **ptr, size_t size)
{
  THCArgCheck(ptr != NULL, 2, "ptr is NULL");
  THCDeviceAllocator *a = state ? state->allocator : &default_allocator;
  return a->malloc(NULL, ptr, size, NULL);
}

cudaError_t THCudaFree(THCState *state, void *ptr)
{
  THCDeviceAllocator *a = state ? state->allocator : &default_allocator;
  return a->free(NULL, ptr);
}

cudaError_t THCudaMemGetInfo(THCState *state, size_t *freeBytes, size_t *totalBytes)
{
  (void)state;
  THCArgCheck(freeBytes && totalBytes, 2, "NULL output pointer");
  return cudaMemGetInfo(freeBytes, totalBytes);
}

cudaError_t THCudaMemGetInfoCached(THCState *state, size_t *freeBytes, size_t *totalBytes,
                                   size_t *largestBlock)
{
  cudaError_t err = THCudaMemGetInfo(state, freeBytes, totalBytes);
  if (largestBlock) *largestBlock = err == cudaSuccess ? *freeBytes : 0; /* no cache */
  return err;
}

void THCSetGCHandler(THCState *state, void (*torchGCHandlerFunction)(void *data), void *data)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  state->gcHandler = torchGCHandlerFunction;
  state->gcData = data;
}

void THCHeapUpdate(THCState *state, ptrdiff_t size)
{
  (void)state;
  (void)size;
}

/* ---- the state --------------------------------------------------------------------------- */

THCState *THCState_alloc(void)
{
  THCState *state = THC_hostAlloc(sizeof(THCState));
  memset(state, 0, sizeof *state);
  state->allocator = &default_allocator;
  state->initialSeed = state->seed = THC_DEFAULT_SEED;
  pthread_mutex_init(&state->lock, NULL);
  return state;
}

void THCState_free(THCState *state)
{
  if (!state) return;
  free(state->props);
  pthread_mutex_destroy(&state->lock);
  free(state);
}

void THCudaInit(THCState *state)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  if (state->initialized) return;
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();
    THCError("no usable CUDA device: cudaGetDeviceCount failed: %s (cuda runtime error %d)",
             cudaGetErrorString(err), (int)err);
  }
  if (count <= 0) THCError("no usable CUDA device: cudaGetDeviceCount found none");
  struct cudaDeviceProp *props = THC_hostAlloc(sizeof(struct cudaDeviceProp) * (size_t)count);
  for (int d = 0; d < count; d++) {
    err = cudaGetDeviceProperties(&props[d], d);
    if (err != cudaSuccess) {
      free(props);
      THCudaCheck(err);
    }
  }
  free(state->props);
  state->props = props;
  state->numDevices = count;
  state->initialized = 1;
}

void THCudaShutdown(THCState *state)
{
  if (!state || !state->initialized) return;
  pthread_mutex_lock(&state->lock);
#ifdef THC_HAVE_CUBLAS
  if (state->blas) cublasDestroy((cublasHandle_t)state->blas);
#endif
  state->blas = NULL;
  pthread_mutex_unlock(&state->lock);
  if (cudaDeviceSynchronize() != cudaSuccess) (void)cudaGetLastError();
  state->initialized = 0;
}

int THCState_getNumDevices(THCState *state)
{
  THC_checkState(state);
  return state->numDevices;
}

cudaStream_t THCState_getCurrentStream(THCState *state)
{
  (void)state;
  return NULL; /* everything runs on the legacy default stream */
}

cudaStream_t THCState_getCurrentStreamOnDevice(THCState *state, int device)
{
  (void)state;
  (void)device;
  return NULL;
}

int THCState_getCurrentStreamIndex(THCState *state)
{
  (void)state;
  return 0;
}

THCDeviceAllocator *THCState_getDeviceAllocator(THCState *state)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  return state->allocator;
}

void THCState_setDeviceAllocator(THCState *state, THCDeviceAllocator *allocator)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  THCArgCheck(allocator && allocator->malloc && allocator->free, 2, "incomplete allocator");
  state->allocator = allocator;
}

int THCState_isCachingAllocatorEnabled(THCState *state)
{
  (void)state;
  return 0;
}

struct cudaDeviceProp *THCState_getCurrentDeviceProperties(THCState *state)
{
  THC_checkState(state);
  int d = THC_currentDevice();
  THCArgCheck(d >= 0 && d < state->numDevices, 1, "no current device");
  return &state->props[d];
}

void THCState_synchronize(THCState *state)
{
  THC_checkState(state);
  THCudaCheck(cudaDeviceSynchronize());
}

int THCState_deviceDescription(THCState *state, int device, char *buf, size_t len)
{
  THC_checkState(state);
  THCIndexCheck(device >= 0 && device < state->numDevices, "device %d out of range (%d devices)",
                device, state->numDevices);
  THCArgCheck(buf != NULL && len > 0, 3, "no buffer");
  const struct cudaDeviceProp *p = &state->props[device];
  return snprintf(buf, len, "%s (sm_%d%d, %.1f GiB)", p->name, p->major, p->minor,
                  (double)p->totalGlobalMem / 1073741824.0);
}

const char *THCState_blasName(THCState *state)
{
  (void)state;
#ifdef THC_HAVE_CUBLAS
  return "cuBLAS";
#else
  return "built-in kernels (no cuBLAS at build time)";
#endif
}

void *THC_blasHandle(THCState *state)
{
  THC_checkState(state);
#ifdef THC_HAVE_CUBLAS
  pthread_mutex_lock(&state->lock);
  if (!state->blas) {
    cublasHandle_t h = NULL;
    cublasStatus_t st = cublasCreate(&h);
    if (st != CUBLAS_STATUS_SUCCESS) {
      pthread_mutex_unlock(&state->lock);
      THCError("cublasCreate failed (status %d)", (int)st);
    }
    state->blas = h;
  }
  void *h = state->blas;
  pthread_mutex_unlock(&state->lock);
  return h;
#else
  return NULL;
#endif
}

/* ---- the random generator (Philox4x32-10, counter based; see THCTensorRandom.cu) ------------ */

void THC_rngNext(THCState *state, unsigned long long *seed, unsigned long long *offset)
{
  THC_checkState(state);
  pthread_mutex_lock(&state->lock);
  *seed = state->seed;
  *offset = state->offset++;
  pthread_mutex_unlock(&state->lock);
}

void THCRandom_init(THCState *state, int num_devices, int current_device)
{
  (void)num_devices;
  (void)current_device;
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  THCRandom_manualSeed(state, THC_DEFAULT_SEED);
}

void THCRandom_shutdown(THCState *state)
{
  (void)state;
}

void THCRandom_manualSeed(THCState *state, unsigned long long seed)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  pthread_mutex_lock(&state->lock);
  state->initialSeed = state->seed = seed;
  state->offset = 0;
  pthread_mutex_unlock(&state->lock);
}

void THCRandom_manualSeedAll(THCState *state, unsigned long long seed)
{
  THCRandom_manualSeed(state, seed);
}

unsigned long long THCRandom_initialSeed(THCState *state)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  pthread_mutex_lock(&state->lock);
  unsigned long long s = state->initialSeed;
  pthread_mutex_unlock(&state->lock);
  return s;
}

/* A seed from the operating system's entropy (the clock when that fails). */
unsigned long long THCRandom_seed(THCState *state)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  unsigned long long s = 0;
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd < 0 || read(fd, &s, sizeof s) != (ssize_t)sizeof s) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s = (unsigned long long)ts.tv_sec * 1000000007ULL ^ (unsigned long long)ts.tv_nsec;
  }
  if (fd >= 0) close(fd);
  THCRandom_manualSeed(state, s);
  return s;
}

unsigned long long THCRandom_seedAll(THCState *state)
{
  return THCRandom_seed(state);
}

/* The state as 16 bytes: the seed, then the offset (host byte order). */
void THCRandom_getRNGState(THCState *state, THByteTensor *rng_state)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  THCArgCheck(rng_state != NULL, 2, "rng_state is NULL");
  THByteTensor_resize1d(rng_state, 16);
  THC_checkTH();
  THCArgCheck(THByteTensor_isContiguous(rng_state), 2, "rng_state must be contiguous");
  unsigned char *data = THByteTensor_data(rng_state);
  pthread_mutex_lock(&state->lock);
  memcpy(data, &state->seed, 8);
  memcpy(data + 8, &state->offset, 8);
  pthread_mutex_unlock(&state->lock);
}

void THCRandom_setRNGState(THCState *state, THByteTensor *rng_state)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  THCArgCheck(rng_state != NULL && THByteTensor_nElement(rng_state) == 16 &&
                  THByteTensor_isContiguous(rng_state),
              2, "rng_state must be a contiguous tensor of 16 bytes");
  const unsigned char *data = THByteTensor_data(rng_state);
  pthread_mutex_lock(&state->lock);
  memcpy(&state->seed, data, 8);
  memcpy(&state->offset, data + 8, 8);
  pthread_mutex_unlock(&state->lock);
}
