import Kernels
import RealModule

/// The element types a `Tensor` holds: `Float` for training speed, `Double` for gradient
/// checks. Each has compiled GEMM micro-kernels (`KernelScalar`) and the elementary
/// functions of swift-numerics (`Real`).
public protocol TensorScalar: KernelScalar, Real {
    /// Short name used in summaries: `f32`, `f64`.
    static var typeName: String { get }
}

extension Float: TensorScalar {
    public static var typeName: String { "f32" }
}

extension Double: TensorScalar {
    public static var typeName: String { "f64" }
}
