import Autograd
import Tensors

/// The standard builtin set, assembled from one registration function per category.
public enum Builtins {
    public static var standard: BuiltinRegistry {
        var r = BuiltinRegistry()
        registerTensorBuiltins(&r)
        registerMathBuiltins(&r)
        registerAutogradBuiltins(&r)
        registerLayerBuiltins(&r)
        registerTrainingBuiltins(&r)
        registerDataBuiltins(&r)
        registerGeneralBuiltins(&r)
        registerPlotBuiltins(&r)
        declareTensorAndListMembers(&r)
        ModelObject.declareMembers(&r)
        DatasetObject.declareMembers(&r)
        SplitsObject.declareMembers(&r)
        OptimizerObject.declareMembers(&r)
        HistoryObject.declareMembers(&r)
        ScheduleObject.declareMembers(&r)
        PreprocessorObject.declareMembers(&r)
        TrainerObject.declareMembers(&r)
        for extra in extraRegistrations { extra(&r) }
        return r
    }

    /// Registrations from modules above this one (plots, lessons, homework).
    nonisolated(unsafe) public static var extraRegistrations: [(inout BuiltinRegistry) -> Void] = []
}

func numbers(_ xs: [Double]) -> Value { .list(xs.map { .number($0) }) }
func shapeValue(_ s: [Int]) -> Value { .list(s.map { .number(Double($0)) }) }

/// Fresh leaves made at the prompt can receive gradients.
func leaf(_ t: Tensor<Float>) -> Value { .tensor(Variable(t, requiresGrad: true)) }
