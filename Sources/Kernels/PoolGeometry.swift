/// Shapes of a 2-D pooling: `x` is `N × C × H × W`, `y` is `N × C × P × Q`, windows of
/// `R × S` moved by `stride`, with `pad` implicit border (never chosen by max, counted as
/// absent by average: the divisor is the number of in-bounds taps).
public struct PoolGeometry: Sendable, Hashable, CustomStringConvertible {
    public var n: Int, c: Int, h: Int, w: Int
    public var r: Int, s: Int, stride: Int, pad: Int

    public init(n: Int, c: Int, h: Int, w: Int, r: Int, s: Int, stride: Int, pad: Int = 0) {
        self.n = n; self.c = c; self.h = h; self.w = w
        self.r = r; self.s = s; self.stride = stride; self.pad = pad
    }

    public var p: Int { (h + 2 * pad - r) / stride + 1 }
    public var q: Int { (w + 2 * pad - s) / stride + 1 }

    public var isValid: Bool {
        n > 0 && c > 0 && h > 0 && w > 0 && r > 0 && s > 0 && stride > 0 && pad >= 0
            && 2 * pad < r + 1 && 2 * pad < s + 1 && h + 2 * pad >= r && w + 2 * pad >= s
    }

    public var description: String {
        "N=\(n) C=\(c) H=\(h) W=\(w) window=\(r)x\(s) stride=\(stride) pad=\(pad)"
    }
}
