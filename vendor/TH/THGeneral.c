/* THGeneral: memory, errors, threads. */
#include <stdarg.h>
#include <pthread.h>
#include <unistd.h>
#include <malloc.h>
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

/* Capture: torchbind's extension (THError_setCapture). A host that asked for it gets every error
 * parked for THError_take and a return from the entry point; any other host (a C program, Lua
 * Torch7) gets upstream's behaviour: its handler is called, and without one the default handler
 * prints the message and ends the process. */
static int capture_on = 0;

int THError_setCapture(int on)
{
  return __atomic_exchange_n(&capture_on, on ? 1 : 0, __ATOMIC_SEQ_CST);
}

/* Upstream's default handlers: message on stdout, process ends with status -1. */
static void __attribute__((noreturn)) default_handler(int kind, const char *msg, int argNumber)
{
  if (kind == TH_ERR_ARG) printf("$ Invalid argument %d: %s\n", argNumber, msg);
  else printf("$ Error: %s\n", msg);
  fflush(stdout);
  exit(-1);
}

static void park(int kind, const char *msg, int argNumber)
{
  THErrorState *st = &THErrorState_tls;
  if (st->kind == TH_ERR_NONE) __atomic_add_fetch(&THErrorPendingCount, 1, __ATOMIC_SEQ_CST);
  st->kind = kind;
  if (kind == TH_ERR_ARG) snprintf(st->msg, sizeof st->msg, "invalid argument %d: %s", argNumber, msg);
  else snprintf(st->msg, sizeof st->msg, "%s", msg);
}

/* Reports an error. The handler (a user's, or the default when nothing captures) runs outside
 * the entry point's guard: errors of the calls it makes stay inside those calls, and a handler
 * that never returns (Lua's, which unwinds to its pcall) leaves no stale jump buffer behind.
 * When the handler returns, an entry point unwinds with the error parked (library code never
 * continues after an error); a direct call from outside (_THError ...) returns to its caller,
 * as upstream's does. */
static void report(int kind, const char *msg, int argNumber)
{
  THErrorState *st = &THErrorState_tls;
  jmp_buf *landing = st->landing;
  st->landing = NULL;
  THHandlers h = current_handlers();
  if (kind == TH_ERR_ARG && h.arg) h.arg(argNumber, msg, h.arg_data);
  else if (kind != TH_ERR_ARG && h.error) h.error(msg, h.error_data);
  else if (!__atomic_load_n(&capture_on, __ATOMIC_SEQ_CST)) default_handler(kind, msg, argNumber);
  park(kind, msg, argNumber);
  if (landing) longjmp(*landing, 1);
}

static void format_message(char *buf, size_t len, const char *file, int line, const char *fmt,
                           va_list args)
{
  const char *ours = strstr(file, "vendor/TH"); /* no build machine's directories in messages */
  if (ours) file = ours;
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
  report(TH_ERR_RUNTIME, msg, 0);
}

void _THAssertionFailed(const char *file, const int line, const char *exp, const char *fmt, ...)
{
  char extra[TH_ERROR_MSG_LEN / 2];
  va_list args;
  va_start(args, fmt);
  vsnprintf(extra, sizeof extra, fmt, args);
  va_end(args);
  _THError(file, line, "Assertion `%s' failed. %s", exp, extra);
}

void _THArgCheck(const char *file, int line, int condition, int argNumber, const char *fmt, ...)
{
  if (condition) return;
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  report(TH_ERR_ARG, msg, argNumber);
}

/* Inside the library: the same report, but it never returns. Library code only runs under an
 * entry point's guard, so report() always unwinds; should it return all the same (a kernel
 * raising on a worker thread), continuing would be undefined, so the process stops. */
static void __attribute__((noreturn)) raise_from_library(int kind, int argNumber, const char *msg)
{
  report(kind, msg, argNumber);
  fprintf(stderr, "TH: error outside any entry point: %s\n", msg);
  abort();
}

void _THErrorKind(int kind, const char *file, int line, const char *fmt, ...)
{
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  raise_from_library(kind, 0, msg);
}

void _THArgError(int argNumber, const char *file, int line, const char *fmt, ...)
{
  char msg[TH_ERROR_MSG_LEN];
  va_list args;
  va_start(args, fmt);
  format_message(msg, sizeof msg, file, line, fmt, args);
  va_end(args);
  raise_from_library(TH_ERR_ARG, argNumber, msg);
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

/* The garbage-collector hook, as upstream: per thread. A host with a garbage collector (Lua) is
 * asked to collect when an allocation fails (then it is retried), and when the memory TH holds
 * grows past a soft limit (300 MB at first, raised by 40% whenever a collection frees too little). */
static _Thread_local void (*gc_handler)(void *);
static _Thread_local void *gc_data;
static ptrdiff_t heap_size;                         /* bytes held, all threads: atomic */
static _Thread_local ptrdiff_t heap_delta;          /* this thread's change not yet added */
static _Thread_local ptrdiff_t heap_softmax = 300000000;
#define TH_HEAP_BATCH 1000000                       /* add to heap_size in steps of 1 MB */

void THSetGCHandler(void (*torchGCHandlerFunction)(void *data), void *data)
{
  gc_handler = torchGCHandlerFunction;
  gc_data = data;
}

static ptrdiff_t heap_apply_delta(void)
{
  ptrdiff_t now = __atomic_add_fetch(&heap_size, heap_delta, __ATOMIC_SEQ_CST);
  heap_delta = 0;
  return now;
}

void THHeapUpdate(ptrdiff_t size)
{
  heap_delta += size;
  if (heap_delta < TH_HEAP_BATCH && heap_delta > -TH_HEAP_BATCH) return;
  ptrdiff_t now = heap_apply_delta();
  if (size > 0 && gc_handler && now > heap_softmax) {
    gc_handler(gc_data);
    if (heap_apply_delta() > heap_softmax / 10 * 8) heap_softmax += heap_softmax / 10 * 4;
  }
}

static int run_gc_handler(void)
{
  if (!gc_handler) return 0;
  gc_handler(gc_data);
  return 1;
}

static ptrdiff_t usable_size(void *p)
{
  return p ? (ptrdiff_t)malloc_usable_size(p) : 0;
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
  THHeapUpdate(usable_size(p));
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
  ptrdiff_t old = usable_size(ptr);
  void *p = realloc(ptr, (size_t)size);
  if (!p && run_gc_handler()) p = realloc(ptr, (size_t)size);
  if (p) THHeapUpdate(usable_size(p) - old);
  advise_huge(p, (size_t)size);
  if (!p)
    _THErrorKind(TH_ERR_MEMORY, __FILE__, __LINE__,
                 "$ Torch: not enough memory: you tried to reallocate %.2fGB. Buy new RAM!",
                 (double)size / 1073741824.0);
  return p;
}

void THFree(void *ptr)
{
  THHeapUpdate(-usable_size(ptr));
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
