import Tensors

/// Arithmetic on variables: each op's forward value and its vector-Jacobian product.
/// Broadcast operands receive their gradient summed back to their own shape.
extension Variable {
    /// `a + b`: `∂/∂a = g`, `∂/∂b = g`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func + (a: Variable, b: Variable) throws -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        return Variable(try a.value + b.value, op: "add", parents: [a, b]) { g in
            [try g.sumToShape(sa), try g.sumToShape(sb)]
        }
    }

    /// `a − b`: `∂/∂a = g`, `∂/∂b = −g`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func - (a: Variable, b: Variable) throws -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        return Variable(try a.value - b.value, op: "sub", parents: [a, b]) { g in
            [try g.sumToShape(sa), try (-g).sumToShape(sb)]
        }
    }

    /// `a ⊙ b`: `∂/∂a = g ⊙ b`, `∂/∂b = g ⊙ a`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (a: Variable, b: Variable) throws -> Variable {
        let (x, y) = (a.value, b.value)
        return Variable(try x * y, op: "mul", parents: [a, b]) { g in
            [try (g * y).sumToShape(x.shape), try (g * x).sumToShape(y.shape)]
        }
    }

    /// `a / b`: `∂/∂a = g / b`, `∂/∂b = −g·a / b²`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func / (a: Variable, b: Variable) throws -> Variable {
        let (x, y) = (a.value, b.value)
        return Variable(try x / y, op: "div", parents: [a, b]) { g in
            [try (g / y).sumToShape(x.shape), try (-(g * x) / (y * y)).sumToShape(y.shape)]
        }
    }

    /// `−a`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static prefix func - (a: Variable) -> Variable {
        Variable(-a.value, op: "neg", parents: [a]) { g in [-g] }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func + (a: Variable, b: Scalar) -> Variable {
        Variable(a.value + b, op: "add", parents: [a]) { g in [g] }
    }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func - (a: Variable, b: Scalar) -> Variable { a + (-b) }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (a: Variable, b: Scalar) -> Variable {
        Variable(a.value * b, op: "mul", parents: [a]) { g in [g * b] }
    }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func / (a: Variable, b: Scalar) -> Variable { a * (1 / b) }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func + (a: Scalar, b: Variable) -> Variable { b + a }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (a: Scalar, b: Variable) -> Variable { b * a }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func - (a: Scalar, b: Variable) -> Variable { -b + a }

    /// `aᵖ` for a constant exponent: `∂/∂a = g · p · aᵖ⁻¹`.
    public func pow(_ p: Scalar) -> Variable {
        let x = value
        return Variable(x.pow(p), op: "pow", parents: [self]) { g in
            [try g * (x.pow(p - 1) * p)]
        }
    }

    /// Matrix product of rank-2 variables: `∂/∂A = G·Bᵀ`, `∂/∂B = Aᵀ·G`.
    public func matmul(_ other: Variable) throws -> Variable {
        let (a, b) = (value, other.value)
        guard a.rank == 2, b.rank == 2 else {
            throw TensorError("matmul: differentiable products take rank-2 operands, got \(a.shape) and \(b.shape)")
        }
        // Skip a product whose gradient nobody needs (the input batch of a first layer).
        let (needA, needB) = (requiresGrad, other.requiresGrad)
        return Variable(try a.matmul(b), op: "matmul", parents: [self, other]) { g in
            [
                needA ? try g.matmul(b, transposeSelf: false, transposeOther: true) : nil,
                needB ? try a.matmul(g, transposeSelf: true, transposeOther: false) : nil
            ]
        }
    }
}
