import Foundation
import Tensors

/// The images the lessons use: CIFAR-10 when `gradschool fetch cifar10` has put it in the
/// data folder, else the embedded CIFAR-10-shaped set, with a sentence saying which.
public enum CourseImages {
    public enum Split: String, Sendable, CaseIterable { case train, test }

    public struct Choice: Sendable {
        public let images: Dataset<Float>
        public let isCIFAR10: Bool
        public let note: String
    }

    /// `count` images of `split`: the first `count` of CIFAR-10's training batches (or of
    /// its test batch), or `count` embedded images drawn from `seed` (the test split from
    /// another seed, so it never repeats a training image).
    public static func load(count: Int, split: Split = .train, seed: UInt64 = 0, directory: URL = DataCache.directory()) throws -> Choice {
        if let folder = DataCache.cifar10(in: directory) {
            let files = split == .train ? DataCache.cifar10TrainingFiles : [DataCache.cifar10TestFile]
            let available = split == .train ? 50_000 : 10_000
            guard count <= available else {
                throw DataError.invalid("CIFAR-10's \(split.rawValue) split has \(available) images; asked for \(count)")
            }
            // Read batch files only until the count is reached.
            var parts: [Dataset<Float>] = []
            var have = 0
            for file in files where have < count || parts.isEmpty {
                let part: Dataset<Float> = try DataLoaders.cifar10(paths: [folder.appendingPathComponent(file).path], limit: count - have)
                parts.append(part)
                have += part.count
            }
            guard have >= count else {
                throw DataError.invalid("CIFAR-10's \(split.rawValue) batches in \(folder.path) hold \(have) images; asked for \(count)")
            }
            let images =
                parts.count == 1
                ? parts[0]
                : try Dataset(
                    inputs: Tensor.concat(parts.map(\.inputs)), labels: parts.flatMap(\.labels), classNames: parts[0].classNames, name: "cifar10")
            return Choice(images: images, isCIFAR10: true, note: "CIFAR-10 (\(split.rawValue), \(count) images) from \(folder.path)")
        }
        let images: Dataset<Float> = try SyntheticImages.make(count: count, seed: split == .train ? seed : seed &+ 1_000_003)
        return Choice(
            images: images, isCIFAR10: false,
            note: "the embedded images (\(count)); CIFAR-10 is not in \(directory.path) — `gradschool fetch cifar10` puts it there")
    }
}
