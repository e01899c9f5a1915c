/// The shape vocabulary every conv and pooling kernel uses, declared once.
///
/// - `N` images, `C` input channels of `H × W`, `K` filters of `C × R × S`,
///   output `K × P × Q`, all buffers NCHW row-major:
///   - `x`: `N × C × H × W`
///   - `weight`: `K × C × R × S`
///   - `bias`: `K`
///   - `y`: `N × K × P × Q`
/// - `P = (H + 2·pad − dilation·(R − 1) − 1) / stride + 1`, and the same for `Q`.
public struct ConvGeometry: Sendable, Hashable, CustomStringConvertible {
    public var n: Int, c: Int, h: Int, w: Int
    public var k: Int, r: Int, s: Int
    public var stride: Int, pad: Int, dilation: Int

    public init(
        n: Int, c: Int, h: Int, w: Int, k: Int, r: Int, s: Int,
        stride: Int = 1, pad: Int = 0, dilation: Int = 1
    ) {
        self.n = n; self.c = c; self.h = h; self.w = w
        self.k = k; self.r = r; self.s = s
        self.stride = stride; self.pad = pad; self.dilation = dilation
    }

    /// Output height.
    public var p: Int { (h + 2 * pad - dilation * (r - 1) - 1) / stride + 1 }
    /// Output width.
    public var q: Int { (w + 2 * pad - dilation * (s - 1) - 1) / stride + 1 }
    /// Rows of the im2col matrix: one per weight of a filter.
    public var patchSize: Int { c * r * s }
    /// Multiply-adds × 2 of the forward pass.
    public var forwardFLOPs: Double { 2 * Double(n * k * p * q) * Double(patchSize) }

    /// Whether every size is positive and the window fits in the padded input.
    public var isValid: Bool {
        n > 0 && c > 0 && h > 0 && w > 0 && k > 0 && r > 0 && s > 0 && stride > 0
            && pad >= 0 && dilation > 0 && p > 0 && q > 0
            && h + 2 * pad >= dilation * (r - 1) + 1 && w + 2 * pad >= dilation * (s - 1) + 1
    }

    public var description: String {
        "N=\(n) C=\(c) H=\(h) W=\(w) K=\(k) R=\(r) S=\(s) stride=\(stride) pad=\(pad)"
            + (dilation == 1 ? "" : " dilation=\(dilation)")
    }
}
