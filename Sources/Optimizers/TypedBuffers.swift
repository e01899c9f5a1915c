import Tensors

/// The per-parameter arrays of one update, viewed as buffers of a concrete scalar type.
///
/// Update rules are written once as generic loops; a class method of a generic optimizer
/// cannot call them specialized (its `Scalar` is only known at run time), so `run` checks the
/// type once per parameter and calls the loop with `Float` or `Double` buffers.
struct TypedBuffers<T: TensorScalar> {
    let weights: UnsafeMutableBufferPointer<T>
    let gradient: UnsafeBufferPointer<T>
    let slots: [UnsafeMutableBufferPointer<T>]
}

enum TypedDispatch {
    /// Calls `float` or `double` with the arrays rebound to that type (no copies).
    static func run<Scalar: TensorScalar>(
        _ weights: inout [Scalar], _ gradient: [Scalar], _ state: inout [[Scalar]],
        float: (TypedBuffers<Float>) -> Void, double: (TypedBuffers<Double>) -> Void
    ) {
        // Move the (at most three) slot arrays out so each can be borrowed mutably at once.
        precondition(state.count <= 3, "update rules keep at most three slots")
        let count = state.count
        var s0: [Scalar] = [], s1: [Scalar] = [], s2: [Scalar] = []
        if count > 0 { swap(&s0, &state[0]) }
        if count > 1 { swap(&s1, &state[1]) }
        if count > 2 { swap(&s2, &state[2]) }
        defer {
            if count > 0 { swap(&s0, &state[0]) }
            if count > 1 { swap(&s1, &state[1]) }
            if count > 2 { swap(&s2, &state[2]) }
        }
        s0.withUnsafeMutableBufferPointer { p0 in
            s1.withUnsafeMutableBufferPointer { p1 in
                s2.withUnsafeMutableBufferPointer { p2 in
                    let slotPointers = Array([p0, p1, p2].prefix(count))
                    weights.withUnsafeMutableBufferPointer { w in
                        gradient.withUnsafeBufferPointer { g in
                            let gm = UnsafeMutableBufferPointer(mutating: g)
                            if Scalar.self == Float.self {
                                float(
                                    TypedBuffers(
                                        weights: rebind(w, Float.self), gradient: UnsafeBufferPointer(rebind(gm, Float.self)),
                                        slots: slotPointers.map { rebind($0, Float.self) }))
                            } else if Scalar.self == Double.self {
                                double(
                                    TypedBuffers(
                                        weights: rebind(w, Double.self), gradient: UnsafeBufferPointer(rebind(gm, Double.self)),
                                        slots: slotPointers.map { rebind($0, Double.self) }))
                            } else {
                                preconditionFailure("optimizers support Float and Double")
                            }
                        }
                    }
                }
            }
        }
    }

    static func rebind<S, T>(_ p: UnsafeMutableBufferPointer<S>, _: T.Type) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: p.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: T.self) }, count: p.count)
    }
}
