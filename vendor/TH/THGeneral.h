/* THGeneral: allocation, errors, threads and the macros every TH source uses. */
#ifndef TH_GENERAL_H
#define TH_GENERAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <math.h>

#ifdef __cplusplus
#define TH_EXTERNC extern "C"
#else
#define TH_EXTERNC extern
#endif

/* Inside the library every public name is renamed to NAME_impl (THRename.h, generated from the API
 * table) and kept hidden; THExports.c defines the public names as guarded wrappers around them. */
#ifdef TH_IMPL
#include "THRename.h"
#define TH_API TH_EXTERNC __attribute__((visibility("hidden")))
#else
#define TH_API TH_EXTERNC __attribute__((visibility("default")))
#endif
/* Always public and never wrapped: the variadic error raisers and torchbind's own extensions. */
#define TH_EXPORT TH_EXTERNC __attribute__((visibility("default")))

#define TH_INDEX_BASE 1 /* as upstream Torch7: indices in the C API are 1-based */
#define TH_MAX_DIM 64   /* no tensor has more dimensions than this */

#define TH_STRINGIFY(x) TH_STRINGIFY_EXPAND(x)
#define TH_STRINGIFY_EXPAND(x) #x
#define TH_CONCAT_STRING_2(x, y) TH_CONCAT_STRING_2_EXPAND(x, y)
#define TH_CONCAT_STRING_2_EXPAND(x, y) #x #y
#define TH_CONCAT_2(x, y) TH_CONCAT_2_EXPAND(x, y)
#define TH_CONCAT_2_EXPAND(x, y) x##y
#define TH_CONCAT_3(x, y, z) TH_CONCAT_3_EXPAND(x, y, z)
#define TH_CONCAT_3_EXPAND(x, y, z) x##y##z
#define TH_CONCAT_4(x, y, z, w) TH_CONCAT_4_EXPAND(x, y, z, w)
#define TH_CONCAT_4_EXPAND(x, y, z, w) x##y##z##w

#define THMin(X, Y) ((X) < (Y) ? (X) : (Y))
#define THMax(X, Y) ((X) > (Y) ? (X) : (Y))

typedef void (*THErrorHandlerFunction)(const char *msg, void *data);
typedef void (*THArgErrorHandlerFunction)(int argNumber, const char *msg, void *data);

#define TH_DESC_BUFF_LEN 64
typedef struct {
  char str[TH_DESC_BUFF_LEN];
} THDescBuff;

/* Error kinds: torchbind's extension, so that Python can pick the exception class. */
enum {
  TH_ERR_NONE = 0,
  TH_ERR_RUNTIME = 1,  /* THError */
  TH_ERR_ARG = 2,      /* THArgCheck: a bad argument value or shape */
  TH_ERR_INDEX = 3,    /* an index or dimension out of range */
  TH_ERR_TYPE = 4,     /* a wrong kind of object */
  TH_ERR_MEMORY = 5,   /* allocation failed */
  TH_ERR_IO = 6,       /* a file operation failed */
  TH_ERR_NOTFOUND = 7  /* a file does not exist */
};

/* Upstream's raisers: they call the thread's handler (or the default one, which prints and ends
 * the process) and return to the caller when a handler returns. */
TH_EXPORT void _THError(const char *file, const int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
TH_EXPORT void _THAssertionFailed(const char *file, const int line, const char *exp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
TH_EXPORT void _THArgCheck(const char *file, int line, int condition, int argNumber, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Not in upstream: what the library itself raises with. They report as the above, then unwind to
 * the entry point; they never return. */
TH_EXPORT void _THErrorKind(int kind, const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));
TH_EXPORT void _THArgError(int argNumber, const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

TH_API void THSetErrorHandler(THErrorHandlerFunction new_handler, void *data);
TH_API void THSetDefaultErrorHandler(THErrorHandlerFunction new_handler, void *data);
TH_API void THSetArgErrorHandler(THArgErrorHandlerFunction new_handler, void *data);
TH_API void THSetDefaultArgErrorHandler(THArgErrorHandlerFunction new_handler, void *data);

/* Errors are caught by the guard in every public entry point (THExports.c) and parked per thread;
 * THError_take hands the parked message to the caller. THErrorPendingCount > 0 means some thread
 * has one parked, so a binding can test one integer after each call instead of calling in. */
TH_EXPORT int THError_take(char *msg, size_t len);
/* Not in upstream: a host that takes errors itself (torchbind) switches capture on; with capture,
 * an error with no handler is parked instead of ending the process. Returns the previous setting. */
TH_EXPORT int THError_setCapture(int on);
TH_EXPORT volatile long THErrorPendingCount;

TH_API void *THAlloc(ptrdiff_t size);
TH_API void *THRealloc(void *ptr, ptrdiff_t size);
TH_API void THFree(void *ptr);
TH_API void THSetGCHandler(void (*torchGCHandlerFunction)(void *data), void *data);
TH_API void THHeapUpdate(ptrdiff_t size);

TH_API void THSetNumThreads(int num_threads);
TH_API int THGetNumThreads(void);
TH_API int THGetNumCores(void);
TH_API void THInferNumThreads(void);

TH_API double THLog1p(const double x);
TH_API double THExpMinusApprox(const double x);
TH_API THDescBuff _THSizeDesc(const long *size, const long ndim);

#ifdef TH_IMPL /* the library's own code never continues after an error */
#define THError(...) _THErrorKind(TH_ERR_RUNTIME, __FILE__, __LINE__, __VA_ARGS__)
#define THArgCheck(COND, ARG, ...) \
  do {                               \
    if (!(COND)) _THArgError((ARG), __FILE__, __LINE__, __VA_ARGS__); \
  } while (0)
#define THAssertFailed_(EXP, ...) _THErrorKind(TH_ERR_RUNTIME, __FILE__, __LINE__, "Assertion `%s' failed.", EXP)
#else /* as upstream's header: for code that uses the library */
#define THError(...) _THError(__FILE__, __LINE__, __VA_ARGS__)
#define THArgCheck(COND, ARG, ...) _THArgCheck(__FILE__, __LINE__, (COND), (ARG), __VA_ARGS__)
#define THAssertFailed_(EXP, ...) _THAssertionFailed(__FILE__, __LINE__, EXP, __VA_ARGS__)
#endif
#define THArgCheckWithCleanup(COND, CLEANUP, ARG, ...) \
  do {                                                   \
    if (!(COND)) {                                       \
      CLEANUP;                                           \
      THArgCheck(0, (ARG), __VA_ARGS__);                 \
    }                                                    \
  } while (0)
#define THIndexError(...) _THErrorKind(TH_ERR_INDEX, __FILE__, __LINE__, __VA_ARGS__)
#define THIndexCheck(COND, ...) \
  do {                          \
    if (!(COND)) THIndexError(__VA_ARGS__); \
  } while (0)
#define THTypeError(...) _THErrorKind(TH_ERR_TYPE, __FILE__, __LINE__, __VA_ARGS__)
#define THIOError(...) _THErrorKind(TH_ERR_IO, __FILE__, __LINE__, __VA_ARGS__)
#define THNotFoundError(...) _THErrorKind(TH_ERR_NOTFOUND, __FILE__, __LINE__, __VA_ARGS__)
#define THAssert(exp)                                               \
  do {                                                              \
    if (!(exp)) THAssertFailed_(#exp, "%s", ""); \
  } while (0)
#define THAssertMsg(exp, ...)                                                \
  do {                                                                       \
    if (!(exp)) THAssertFailed_(#exp, __VA_ARGS__); \
  } while (0)

#endif
