#ifndef GRADER_SUPPORT_H
#define GRADER_SUPPORT_H

/// Standard output line-buffered and standard error unbuffered, so whatever a graded
/// function printed before a crash reaches the grader.
void gs_unbuffer_standard_streams(void);

#endif
