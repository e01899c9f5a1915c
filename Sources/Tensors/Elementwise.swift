import RealModule

extension Tensor {
    /// `f` applied to every element.
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func map(_ f: (Scalar) -> Scalar) -> Tensor {
        Tensor(uncheckedShape: shape, scalars: scalars.map(f))
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.zipWith(b, op: "+", +) }
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.zipWith(b, op: "-", -) }
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.zipWith(b, op: "*", *) }
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.zipWith(b, op: "/", /) }
    @inlinable
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func + (a: Tensor, b: Scalar) -> Tensor { a.map { $0 + b } }
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func - (a: Tensor, b: Scalar) -> Tensor { a.map { $0 - b } }
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (a: Tensor, b: Scalar) -> Tensor { a.map { $0 * b } }
    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func / (a: Tensor, b: Scalar) -> Tensor { a.map { $0 / b } }
    public static func + (a: Scalar, b: Tensor) -> Tensor { b.map { a + $0 } }
    public static func - (a: Scalar, b: Tensor) -> Tensor { b.map { a - $0 } }
    public static func * (a: Scalar, b: Tensor) -> Tensor { b.map { a * $0 } }
    public static func / (a: Scalar, b: Tensor) -> Tensor { b.map { a / $0 } }

    /// `a[i] ^ b[i]`, broadcast.
    public func pow(_ exponent: Tensor) throws -> Tensor {
        try zipWith(exponent, op: "pow") { Scalar.pow($0, $1) }
    }

    /// Every element raised to `exponent` (integer exponents of negative bases are exact).
    public func pow(_ exponent: Scalar) -> Tensor {
        if exponent == 2 { return map { $0 * $0 } }
        if exponent == 1 { return self }
        if exponent.rounded() == exponent && Swift.abs(exponent) < 64 {
            let n = Int(exponent)
            return map { Scalar.pow($0, n) }
        }
        return map { Scalar.pow($0, exponent) }
    }

    public func maximum(_ other: Tensor) throws -> Tensor { try zipWith(other, op: "maximum") { Swift.max($0, $1) } }
    public func minimum(_ other: Tensor) throws -> Tensor { try zipWith(other, op: "minimum") { Swift.min($0, $1) } }

    // Comparisons give 1 where the relation holds and 0 elsewhere, in the same element type.
    public func equal(_ other: Tensor) throws -> Tensor { try zipWith(other, op: "==") { $0 == $1 ? 1 : 0 } }
    public func notEqual(_ other: Tensor) throws -> Tensor { try zipWith(other, op: "!=") { $0 != $1 ? 1 : 0 } }
    public func less(_ other: Tensor) throws -> Tensor { try zipWith(other, op: "<") { $0 < $1 ? 1 : 0 } }
    public func lessEqual(_ other: Tensor) throws -> Tensor { try zipWith(other, op: "<=") { $0 <= $1 ? 1 : 0 } }
    public func greater(_ other: Tensor) throws -> Tensor { try zipWith(other, op: ">") { $0 > $1 ? 1 : 0 } }
    public func greaterEqual(_ other: Tensor) throws -> Tensor { try zipWith(other, op: ">=") { $0 >= $1 ? 1 : 0 } }

    /// Elements of `a` where `condition` is non-zero, of `b` elsewhere; all three broadcast.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try broadcastShape(broadcastShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let c = try condition.broadcast(to: shape), x = try a.broadcast(to: shape), y = try b.broadcast(to: shape)
        var out = x.scalars
        for i in 0..<out.count where c.scalars[i] == 0 { out[i] = y.scalars[i] }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func exp() -> Tensor { map { Scalar.exp($0) } }
    public func log() -> Tensor { map { Scalar.log($0) } }
    public func sqrt() -> Tensor { map { $0.squareRoot() } }
    public func tanh() -> Tensor { map { Scalar.tanh($0) } }
    public func abs() -> Tensor { map { Swift.abs($0) } }
    /// `1 / (1 + e^(−x))`, computed without overflow for large `|x|`.
    public func sigmoid() -> Tensor {
        map { x in
            if x >= 0 { return 1 / (1 + Scalar.exp(-x)) }
            let e = Scalar.exp(x)
            return e / (1 + e)
        }
    }
    /// `max(0, x)`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func relu() -> Tensor { map { $0 > 0 ? $0 : 0 } }
    /// Elements limited to `[low, high]`.
    public func clip(_ low: Scalar, _ high: Scalar) -> Tensor {
        map { Swift.min(Swift.max($0, low), high) }
    }
}
