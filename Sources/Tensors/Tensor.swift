/// An n-dimensional array of `Float` or `Double` with value semantics.
///
/// Elements are stored contiguously in row-major order; the storage is a Swift array, so
/// copies are cheap until one of them is mutated (copy-on-write). A rank-0 tensor (shape
/// `[]`) holds one scalar.
public struct Tensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// The size of each axis.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    ///
    /// Elements may be changed in place (`t.scalars[i] += 1` mutates without copying);
    /// changing their number traps, since the shape would no longer fit.
    public var scalars: [Scalar] {
        get { storage }
        _modify {
            let count = storage.count
            yield &storage
            precondition(storage.count == count, "a tensor's element count cannot change")
        }
        set {
            precondition(newValue.count == storage.count, "a tensor's element count cannot change")
            storage = newValue
        }
    }
    @usableFromInline var storage: [Scalar]

    /// A tensor of the given shape and elements, or an error if the counts disagree.
    public init(shape: [Int], scalars: [Scalar]) throws {
        let count = try SizeBudget.elements(shape, "tensor")
        guard count == scalars.count else {
            throw TensorError("shape \(shape) needs \(count) elements but \(scalars.count) were given")
        }
        self.shape = shape
        self.storage = scalars
    }

    /// For callers that have already checked that `shape` fits `scalars`.
    @usableFromInline
    init(uncheckedShape shape: [Int], scalars: [Scalar]) {
        assert(shape.reduce(1, *) == scalars.count)
        self.shape = shape
        self.storage = scalars
    }

    /// A rank-0 tensor.
    public init(_ value: Scalar) {
        self.init(uncheckedShape: [], scalars: [value])
    }

    /// A rank-1 tensor of the given values.
    public init(_ values: [Scalar]) {
        self.init(uncheckedShape: [values.count], scalars: values)
    }

    /// A rank-2 tensor from rows of equal length.
    public init(rows: [[Scalar]]) throws {
        let width = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == width }) else {
            throw TensorError("rows have different lengths: \(rows.map(\.count))")
        }
        self.init(uncheckedShape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { scalars.count }

    /// The single element of a one-element tensor.
    public var scalar: Scalar? { scalars.count == 1 ? scalars[0] : nil }

    /// Row-major strides in elements.
    public var strides: [Int] { Self.strides(of: shape) }

    static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// The element at a full multi-index (negative indices count from the end).
    public func element(at index: [Int]) throws -> Scalar {
        guard index.count == rank else {
            throw TensorError("index \(index) has \(index.count) entries but the tensor has rank \(rank)")
        }
        var flat = 0
        for (axis, (i, size)) in zip(index, shape).enumerated() {
            let j = i < 0 ? i + size : i
            guard j >= 0 && j < size else {
                throw TensorError("index \(i) is out of range for axis \(axis) of size \(size)")
            }
            flat = flat * size + j
        }
        return scalars[flat]
    }

    /// The same elements in another element type.
    public func converted<Other: TensorScalar>(to _: Other.Type = Other.self) -> Tensor<Other> {
        Tensor<Other>(uncheckedShape: shape, scalars: scalars.map { Other($0) })
    }

    /// Applies `body` to the elements' buffer.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }
}

extension Tensor {
    /// Storage for `count` elements that the caller overwrites completely before reading
    /// (kernel outputs), skipping a zero fill.
    @inlinable
    static func uninitializedStorage(_ count: Int) -> [Scalar] {
        [Scalar](unsafeUninitializedCapacity: count) { _, n in n = count }
    }
}
