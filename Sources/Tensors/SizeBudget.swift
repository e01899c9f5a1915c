/// The largest tensor any operation allocates, and the one overflow-checked product of
/// sizes that every allocation path uses.
///
/// A shape whose element count overflows `Int`, or exceeds `maximumElements`, is refused
/// with an error that names the operation and the shape, instead of a trap or an
/// allocation the machine cannot satisfy.
public enum SizeBudget {
    /// 2²⁸ elements: 1 GiB of Float32, 2 GiB of Float64.
    public static let maximumElements = 1 << 28

    /// The product of `sizes`, or an error when a size is negative, or the product of the
    /// non-zero sizes overflows or exceeds `maximumElements`.
    public static func elements(_ sizes: [Int], _ op: String) throws -> Int {
        guard sizes.allSatisfy({ $0 >= 0 }) else { throw TensorError("\(op): shape \(sizes) has a negative size") }
        // Sizes of 0 count as 1 here: a shape like [0, 2⁴⁰] holds nothing, but its strides
        // and any product of its other sizes would still overflow.
        var total = 1
        for size in sizes where size != 0 {
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumElements else {
                throw TensorError.tooLarge(op: op, shape: sizes, limit: maximumElements)
            }
            total = product
        }
        return sizes.contains(0) ? 0 : total
    }
}
