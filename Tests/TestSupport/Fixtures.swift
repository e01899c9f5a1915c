import Foundation
import Random
import Tensors

/// Values uniform in [-1, 1) from a seeded stream: the same numbers on every run.
public func seededArray<Scalar: BinaryFloatingPoint>(_ count: Int, seed: UInt64, as _: Scalar.Type = Scalar.self) -> [Scalar] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Scalar(2 * g.nextUniform() - 1) }
}

/// A tensor of `std · N(0, 1)` values from a seeded stream; `awayFromZero` moves every value
/// 0.1 further from 0, so checks of ReLU-like ops do not sit on their kink.
public func seededTensor<Scalar: TensorScalar>(
    _ shape: [Int], seed: UInt64, std: Double = 1, awayFromZero: Bool = false,
    as _: Scalar.Type = Scalar.self
) throws -> Tensor<Scalar> {
    var g = SeededGenerator(seed: seed)
    let t = try Tensor<Scalar>.randn(shape, std: Scalar(std), using: &g)
    return awayFromZero ? t.map { $0 + ($0 >= 0 ? Scalar(0.1) : Scalar(-0.1)) } : t
}

/// A folder of its own under the temporary directory, removed when the value goes away.
public final class ScratchFolder {
    public let url: URL
    public var path: String { url.path }

    public init(_ name: String = "scratch") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gradschool-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder (the file is not created).
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
