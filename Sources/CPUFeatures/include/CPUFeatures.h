#ifndef GRADSCHOOL_CPU_FEATURES_H
#define GRADSCHOOL_CPU_FEATURES_H

/// Instruction-set levels the kernels are compiled for, best last.
typedef enum {
    GSInstructionSetPortable = 0,
    GSInstructionSetAVX2 = 1,
    GSInstructionSetAVX512 = 2
} GSInstructionSet;

/// The best instruction set this processor (and its operating system) supports.
GSInstructionSet gs_best_instruction_set(void);

#endif
