import Random
import RealModule
import Tensors

/// The embedded image set: CIFAR-10-shaped (`[N, 3, 32, 32]`, 10 classes), generated from a
/// seed, no downloads.
///
/// Each class is a shape — disk, ring, square, horizontal bar, vertical bar, cross, diagonal
/// stripes, checkerboard, triangle, pair of dots — drawn at a random position and size, in a
/// random bright colour on a random darker background, with Gaussian pixel noise.
/// Colour and position carry no class information, so a linear classifier on raw pixels does
/// poorly while a small ConvNet (translation-equivariant filters) learns it. Image `i` depends
/// only on `(seed, i)`, so a smaller set is a prefix of a larger one.
public enum SyntheticImages {
    public static let classNames = ["disk", "ring", "square", "hbar", "vbar", "cross", "stripes", "checker", "triangle", "dots"]
    public static let imageSize = 32

    /// `count` images with balanced labels (`i mod 10`), pixel values roughly in `[0, 1]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func make<Scalar: TensorScalar>(
        count: Int = 5000, seed: UInt64 = 0, noise: Double = 0.1,
        as: Scalar.Type = Float.self
    ) throws -> Dataset<Scalar> {
        let side = imageSize, plane = side * side
        _ = try SizeBudget.elements([count, 3, side, side], "synthetic_images")
        var pixels = [Scalar](repeating: 0, count: count * 3 * plane)
        var labels = [Int](repeating: 0, count: count)
        for i in 0..<count {
            var g = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(i))
            let label = i % classNames.count
            labels[i] = label
            // Dark backgrounds and brighter shapes: the shape shows in every colour channel,
            // while the hue itself carries no class information.
            let background = (0..<3).map { _ in 0.45 * g.nextUniform() }
            let foreground = background.map { b in b + 0.3 + 0.25 * g.nextUniform() }
            let cx = 10 + 12 * g.nextUniform(), cy = 10 + 12 * g.nextUniform()
            let s = 5 + 4 * g.nextUniform()
            let phase = 6.283 * g.nextUniform()
            for y in 0..<side {
                for x in 0..<side {
                    let inside = covers(
                        label, dx: Double(x) - cx, dy: Double(y) - cy, s: s,
                        x: Double(x), y: Double(y), phase: phase)
                    for c in 0..<3 {
                        let v = (inside ? foreground[c] : background[c]) + noise * g.nextNormal()
                        pixels[(i * 3 + c) * plane + y * side + x] = Scalar(v)
                    }
                }
            }
        }
        return try Dataset(
            inputs: Tensor(shape: [count, 3, side, side], scalars: pixels), labels: labels,
            classNames: classNames, name: "synthetic")
    }

    /// Whether class `label`'s shape covers the pixel at offset `(dx, dy)` from the centre.
    static func covers(_ label: Int, dx: Double, dy: Double, s: Double, x: Double, y: Double, phase: Double) -> Bool {
        let r = (dx * dx + dy * dy).squareRoot()
        switch label {
        case 0: return r < s
        case 1: return r < s && r > 0.55 * s
        case 2: return abs(dx) < 0.8 * s && abs(dy) < 0.8 * s
        case 3: return abs(dy) < 0.3 * s && abs(dx) < 1.4 * s
        case 4: return abs(dx) < 0.3 * s && abs(dy) < 1.4 * s
        case 5: return (abs(dy) < 0.25 * s && abs(dx) < 1.2 * s) || (abs(dx) < 0.25 * s && abs(dy) < 1.2 * s)
        case 6:
            return (((x + y) * 0.7 + phase).truncatingRemainder(dividingBy: 6.283) + 6.283)
                .truncatingRemainder(dividingBy: 6.283) < 3.14 && r < 1.6 * s
        case 7: return abs(dx) < s && abs(dy) < s && (Int((dx + s) / (s / 2)) + Int((dy + s) / (s / 2))) % 2 == 0
        case 8: return dy > -s && dy < 0.8 * s && abs(dx) < (dy + s) * 0.6
        default:
            let d1 = ((dx - 0.6 * s) * (dx - 0.6 * s) + dy * dy).squareRoot()
            let d2 = ((dx + 0.6 * s) * (dx + 0.6 * s) + dy * dy).squareRoot()
            return d1 < 0.35 * s || d2 < 0.35 * s
        }
    }
}

/// The classic 2-D spiral: `K` arms of `N` points each, not linearly separable.
///
/// ```
/// r = linspace(0, 1, N)      t = linspace(4k, 4(k+1), N) + 0.2·N(0, 1)
/// x = (r sin t, r cos t)     label k
/// ```
public enum Spiral {
    public static func make<Scalar: TensorScalar>(
        pointsPerClass: Int = 100, classes: Int = 3, seed: UInt64 = 0,
        as: Scalar.Type = Float.self
    ) throws -> Dataset<Scalar> {
        _ = try SizeBudget.elements([pointsPerClass, classes, 2], "spiral")
        var g = SeededGenerator(seed: seed)
        var xs: [Scalar] = [], labels: [Int] = []
        for k in 0..<classes {
            for i in 0..<pointsPerClass {
                let f = pointsPerClass > 1 ? Double(i) / Double(pointsPerClass - 1) : 0
                let t = 4 * Double(k) + 4 * f + 0.2 * g.nextNormal()
                xs += [Scalar(f * Double.sin(t)), Scalar(f * Double.cos(t))]
                labels.append(k)
            }
        }
        return try Dataset(
            inputs: Tensor(shape: [labels.count, 2], scalars: xs), labels: labels,
            classNames: (0..<classes).map { "arm \($0)" }, name: "spiral")
    }
}
