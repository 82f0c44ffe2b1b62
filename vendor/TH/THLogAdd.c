#include <float.h>
#include "THLogAdd.h"

/* log(exp(a) +- exp(b)) without leaving log space. As upstream (built without USE_DOUBLE): the
 * smaller term is dropped once it is under e^-18.42 of the larger, and LogSub of two equal
 * values is upstream's log-zero, -DBL_MAX. */
#define TH_LOG_DROP -18.42

double THLogAdd(double log_a, double log_b)
{
  if (log_a < log_b) {
    double t = log_a;
    log_a = log_b;
    log_b = t;
  }
  double d = log_b - log_a;
  if (d < TH_LOG_DROP) return log_a;
  return log_a + log1p(exp(d));
}

double THLogSub(double log_a, double log_b)
{
  if (log_a < log_b) THError("LogSub: log_a (%f) should be greater than log_b (%f)", log_a, log_b);
  double d = log_b - log_a;
  if (log_a == log_b) return -DBL_MAX;
  if (d < TH_LOG_DROP) return log_a;
  return log_a + log1p(-exp(d));
}
