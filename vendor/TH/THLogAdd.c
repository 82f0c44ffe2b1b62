#include "THLogAdd.h"

double THLogAdd(double log_a, double log_b)
{
  if (log_a < log_b) {
    double t = log_a;
    log_a = log_b;
    log_b = t;
  }
  double d = log_b - log_a;
  if (d < -1e4 || isinf(log_a)) return log_a; /* the smaller term vanishes */
  return log_a + log1p(exp(d));
}

double THLogSub(double log_a, double log_b)
{
  if (log_a < log_b) THError("LogSub: log_a (%f) should be greater than log_b (%f)", log_a, log_b);
  double d = log_b - log_a;
  if (d < -1e4) return log_a;
  return log_a + log1p(-exp(d));
}
