/* THGeneral: memory, errors, threads. */
#include <stdarg.h>
#include <pthread.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#include "THGeneral.h"
#include "THGuard.h"
#include "THParallel.h"

_Thread_local THErrorState THErrorState_tls;
volatile long THErrorPendingCount = 0;

/* Handlers: a per-thread one, else the process default (set under a lock), else parking. */
typedef struct {
  THErrorHandlerFunction error;
  void *error_data;
  THArgErrorHandlerFunction arg;
  void *arg_data;
} THHandlers;

static _Thread_local THHandlers handlers_tls;
static THHandlers handlers_default;
static pthread_mutex_t handlers_lock = PTHREAD_MUTEX_INITIALIZER;

static THHandlers current_handlers(void)
{
  THHandlers h = handlers_tls;
  if (!h.error || !h.arg) {
    pthread_mutex_lock(&handlers_lock);
    THHandlers d = handlers_default;
    pthread_mutex_unlock(&handlers_lock);
    if (!h.error) { h.error = d.error; h.error_data = d.error_data; }
    if (!h.arg) { h.arg = d.arg; h.arg_data = d.arg_data; }
  }
  return h;
}

/* Parks the message for THError_take and unwinds to the entry point. Upstream's default handler
 * exits the process; ours never does while an entry point is on the stack. A handler that the
 * user installed is called first: upstream code cannot continue after an error, so when it
 * returns we unwind all the same. */
static void __attribute__((noreturn)) raise_error(int kind, const char *msg, int argNumber)
{
  THHandlers h = current_handlers();
  if (kind == TH_ERR_ARG && h.arg) h.arg(argNumber, msg, h.arg_data);
  else if (kind != TH_ERR_ARG && h.error) h.error(msg, h.error_data);

  THErrorState *st = &THErrorState_tls;
  if (!st->landing) {
    fprintf(stderr, "TH error outside any entry point: %s\n", msg);
    abort();
  }
  if (st->kind == TH_ERR_NONE) __atomic_add_fetch(&THErrorPendingCount, 1, __ATOMIC_SEQ_CST);
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

void _THError(const char *file, const int line, const char *fmt, ...)
{
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  raise_error(TH_ERR_RUNTIME, msg, 0);
}

void _THErrorKind(int kind, const char *file, int line, const char *fmt, ...)
{
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  raise_error(kind, msg, 0);
}

void _THAssertionFailed(const char *file, const int line, const char *exp, const char *fmt, ...)
{
  char extra[TH_ERROR_MSG_LEN / 2];
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  vsnprintf(extra, sizeof extra, fmt, args);
  va_end(args);
  snprintf(msg, sizeof msg, "Assertion `%s' failed. %s at %s:%d", exp, extra, file, line);
  raise_error(TH_ERR_RUNTIME, msg, 0);
}

void _THArgCheck(const char *file, int line, int condition, int argNumber, const char *fmt, ...)
{
  if (condition) return;
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  char full[TH_ERROR_MSG_LEN];
  snprintf(full, sizeof full, "invalid argument %d: %s", argNumber, msg);
  raise_error(TH_ERR_ARG, full, argNumber);
}

int THError_take(char *msg, size_t len)
{
  THErrorState *st = &THErrorState_tls;
  int kind = st->kind;
  if (kind == TH_ERR_NONE) return 0;
  if (msg && len) snprintf(msg, len, "%s", st->msg);
  st->kind = TH_ERR_NONE;
  __atomic_sub_fetch(&THErrorPendingCount, 1, __ATOMIC_SEQ_CST);
  return kind;
}

void THSetErrorHandler(THErrorHandlerFunction new_handler, void *data)
{
  handlers_tls.error = new_handler;
  handlers_tls.error_data = data;
}

void THSetArgErrorHandler(THArgErrorHandlerFunction new_handler, void *data)
{
  handlers_tls.arg = new_handler;
  handlers_tls.arg_data = data;
}

void THSetDefaultErrorHandler(THErrorHandlerFunction new_handler, void *data)
{
  pthread_mutex_lock(&handlers_lock);
  handlers_default.error = new_handler;
  handlers_default.error_data = data;
  pthread_mutex_unlock(&handlers_lock);
}

void THSetDefaultArgErrorHandler(THArgErrorHandlerFunction new_handler, void *data)
{
  pthread_mutex_lock(&handlers_lock);
  handlers_default.arg = new_handler;
  handlers_default.arg_data = data;
  pthread_mutex_unlock(&handlers_lock);
}

/* ---- memory ---------------------------------------------------------------------------- */

static void (*gc_handler)(void *) = NULL;
static void *gc_data = NULL;
static pthread_mutex_t gc_lock = PTHREAD_MUTEX_INITIALIZER;

void THSetGCHandler(void (*torchGCHandlerFunction)(void *data), void *data)
{
  pthread_mutex_lock(&gc_lock);
  gc_handler = torchGCHandlerFunction;
  gc_data = data;
  pthread_mutex_unlock(&gc_lock);
}

/* Upstream tracks heap size to trigger Lua's GC; with no GC to drive, this only runs the handler
 * when memory runs out (see THAlloc). */
void THHeapUpdate(ptrdiff_t size)
{
  (void)size;
}

static int run_gc_handler(void)
{
  pthread_mutex_lock(&gc_lock);
  void (*h)(void *) = gc_handler;
  void *d = gc_data;
  pthread_mutex_unlock(&gc_lock);
  if (!h) return 0;
  h(d);
  return 1;
}

/* Blocks of 4 MiB and more ask for transparent huge pages (as numpy does for its arrays, where
 * the kernel gives them only on request): 512 times fewer page faults on first touch and TLB
 * misses on every pass. Advice only: nothing changes where it is refused. */
static void advise_huge(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (!p || size < ((size_t)4 << 20)) return;
  uintptr_t page = 4096, begin = ((uintptr_t)p + page - 1) & ~(page - 1);
  uintptr_t end = ((uintptr_t)p + size) & ~(page - 1);
  if (end > begin) madvise((void *)begin, end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)size;
#endif
}

/* 64-byte alignment for anything large enough to be vectorised, as upstream does. */
static void *aligned_malloc(size_t size)
{
  if (size < 5120) return malloc(size);
  void *p = NULL;
  if (posix_memalign(&p, 64, size) != 0) return NULL;
  advise_huge(p, size);
  return p;
}

void *THAlloc(ptrdiff_t size)
{
  if (size < 0) THArgCheck(0, 1, "$ Torch: invalid memory size -- maybe an overflow?");
  if (size == 0) return NULL;
  void *p = aligned_malloc((size_t)size);
  if (!p && run_gc_handler()) p = aligned_malloc((size_t)size);
  if (!p)
    _THErrorKind(TH_ERR_MEMORY, __FILE__, __LINE__,
                 "$ Torch: not enough memory: you tried to allocate %.2fGB. Buy new RAM!",
                 (double)size / 1073741824.0);
  return p;
}

void *THRealloc(void *ptr, ptrdiff_t size)
{
  if (!ptr) return THAlloc(size);
  if (size == 0) {
    THFree(ptr);
    return NULL;
  }
  if (size < 0) THArgCheck(0, 2, "$ Torch: invalid memory size -- maybe an overflow?");
  void *p = realloc(ptr, (size_t)size);
  if (!p && run_gc_handler()) p = realloc(ptr, (size_t)size);
  advise_huge(p, (size_t)size);
  if (!p)
    _THErrorKind(TH_ERR_MEMORY, __FILE__, __LINE__,
                 "$ Torch: not enough memory: you tried to reallocate %.2fGB. Buy new RAM!",
                 (double)size / 1073741824.0);
  return p;
}

void THFree(void *ptr)
{
  free(ptr);
}

/* ---- threads --------------------------------------------------------------------------- */

void THSetNumThreads(int num_threads)
{
  THParallel_setNumThreads(num_threads);
}

int THGetNumThreads(void)
{
  return THParallel_getNumThreads();
}

int THGetNumCores(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

void THInferNumThreads(void)
{
  THParallel_setNumThreads(THGetNumCores());
}

/* ---- small numerics -------------------------------------------------------------------- */

double THLog1p(const double x)
{
  return log1p(x);
}

/* exp(-x) for x >= 0, upstream's fast approximation (a polynomial whose 4th power is 1/e^x). */
double THExpMinusApprox(const double x)
{
  if (x < 13.0) {
    const double a0 = 1.0, a1 = 0.125, a2 = 0.0078125, a3 = 0.00032552083, a4 = 1.0172526e-5;
    double y = a0 + x * (a1 + x * (a2 + x * (a3 + x * a4)));
    y *= y;
    y *= y;
    y *= y;
    return 1 / y;
  }
  return 0;
}

THDescBuff _THSizeDesc(const long *size, const long ndim)
{
  THDescBuff buf;
  const size_t L = TH_DESC_BUFF_LEN;
  size_t n = 0;
  n += (size_t)snprintf(buf.str, L, "[");
  for (long i = 0; i < ndim && n < L; i++)
    n += (size_t)snprintf(buf.str + n, L - n, "%ld%s", size[i], i + 1 < ndim ? " x " : "");
  if (n < L - 2) {
    snprintf(buf.str + n, L - n, "]");
  } else {
    snprintf(buf.str + L - 5, 5, "...]");
  }
  return buf;
}
