/* THGuard: how a public entry point turns an error into a parked error and a return.
 * Private to each library that includes it: libTH (THGeneral.c and the generated THExports.c)
 * and libTHC (THCGeneral.c and THCExports.c). The state is hidden, so each library defines its own
 * THErrorState_tls and its entry points land on their own library's: libTHC cannot unwind to
 * libTH's landing, so a TH error inside a call libTHC makes into libTH is parked by libTH's guard
 * and THC_checkTH moves it over. */
#ifndef TH_GUARD_H
#define TH_GUARD_H

#include <setjmp.h>
#include "THGeneral.h"

#define TH_ERROR_MSG_LEN 2048

typedef struct THErrorState {
  jmp_buf *landing;   /* the outermost entry point's jump buffer; NULL outside any entry point */
  int kind;           /* kind of the parked error (TH_ERR_*), 0 when none */
  char msg[TH_ERROR_MSG_LEN];
} THErrorState;

extern _Thread_local THErrorState THErrorState_tls __attribute__((visibility("hidden")));

/* An entry point runs its body under a jump buffer only when it is the outermost one on this
 * thread; nested calls (from handlers or callbacks) share the outer buffer. */
#define TH_GUARDED_VOID(CALL)                         \
  do {                                                \
    THErrorState *st_ = &THErrorState_tls;            \
    if (st_->landing) {                               \
      CALL;                                           \
    } else {                                          \
      jmp_buf jb_;                                    \
      st_->landing = &jb_;                            \
      if (setjmp(jb_) == 0) CALL;                     \
      THErrorState_tls.landing = NULL;                \
    }                                                 \
  } while (0)

#define TH_GUARDED_VALUE(TYPE, CALL)                  \
  do {                                                \
    THErrorState *st_ = &THErrorState_tls;            \
    if (st_->landing) return CALL;                    \
    jmp_buf jb_;                                      \
    TYPE r_ = (TYPE){0};                              \
    st_->landing = &jb_;                              \
    if (setjmp(jb_) == 0) r_ = CALL;                  \
    THErrorState_tls.landing = NULL;                  \
    return r_;                                        \
  } while (0)

#endif
