import Random
import Tensors

/// Random crops with zero padding, random horizontal flips and colour jitter, applied to
/// each mini-batch of `[N, C, H, W]` images as it is drawn. The same generator state gives
/// the same batch.
///
/// A crop pads each side by `padding` and keeps an `H × W` window at a uniformly random
/// offset in `0...2·padding` on each axis — a shift of up to `padding` pixels.
///
/// Colour jitter j changes each image's brightness and colour balance:
/// `x' = x · (1 + c_ch) + b` with one b ~ U(−j, j) per image and one c_ch ~ U(−j, j) per
/// channel. Its draws follow the crop's and flip's, so a jitter of 0 leaves the random
/// stream, and every crop and flip, as they were.
public struct Augmentation: Sendable, Equatable {
    public var cropPadding: Int
    public var horizontalFlip: Bool
    public var colorJitter: Double

    public init(cropPadding: Int = 0, horizontalFlip: Bool = false, colorJitter: Double = 0) {
        self.cropPadding = cropPadding
        self.horizontalFlip = horizontalFlip
        self.colorJitter = colorJitter
    }

    public static let none = Augmentation()
    public var isIdentity: Bool { cropPadding == 0 && !horizontalFlip && colorJitter == 0 }

    /// An augmented copy of `images`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func apply<Scalar: TensorScalar>(_ images: Tensor<Scalar>, using generator: inout SeededGenerator) throws -> Tensor<Scalar> {
        guard !isIdentity else { return images }
        guard images.rank == 4 else {
            throw DataError.invalid("augmentation works on images [N, C, H, W], got shape \(images.shape)")
        }
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let source = images.scalars
        var out = [Scalar](repeating: 0, count: source.count)
        let plane = h * w
        for i in 0..<n {
            let dy = cropPadding > 0 ? Int(generator.nextUniform() * Double(2 * cropPadding + 1)) - cropPadding : 0
            let dx = cropPadding > 0 ? Int(generator.nextUniform() * Double(2 * cropPadding + 1)) - cropPadding : 0
            let flip = horizontalFlip && generator.nextUniform() < 0.5
            var brightness = 0.0
            var gains = [Double](repeating: 1, count: c)
            if colorJitter > 0 {
                brightness = (2 * generator.nextUniform() - 1) * colorJitter
                for ch in 0..<c { gains[ch] = 1 + (2 * generator.nextUniform() - 1) * colorJitter }
            }
            for ch in 0..<c {
                let base = (i * c + ch) * plane
                let gain = Scalar(gains[ch]), shift = Scalar(brightness)
                for y in 0..<h {
                    let sy = y + dy
                    guard sy >= 0 && sy < h else { continue }
                    for x in 0..<w {
                        let xx = flip ? w - 1 - x : x
                        let sx = xx + dx
                        guard sx >= 0 && sx < w else { continue }
                        out[base + y * w + x] = colorJitter > 0 ? source[base + sy * w + sx] * gain + shift : source[base + sy * w + sx]
                    }
                }
            }
        }
        return try Tensor(shape: images.shape, scalars: out)
    }
}
