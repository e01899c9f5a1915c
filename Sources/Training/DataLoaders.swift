import Foundation
import Tensors

/// Readers for the real datasets' file formats. Every error names the file and the problem.
public enum DataLoaders {
    static func readFile(_ path: String) throws -> [UInt8] { try InputFile.bytes(path) }

    /// CIFAR-10 binary batches (`data_batch_1.bin` …): records of 1 label byte then 3072 pixel
    /// bytes (1024 red, 1024 green, 1024 blue, row-major). Pixels are scaled to `[0, 1]`.
    public static func cifar10<Scalar: TensorScalar>(
        paths: [String], limit: Int? = nil,
        as: Scalar.Type = Float.self
    ) throws -> Dataset<Scalar> {
        let recordSize = 1 + 3072
        var pixels: [Scalar] = [], labels: [Int] = []
        for path in paths {
            let bytes = try readFile(path)
            guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
                throw FileError.malformed(path, detail: "\(bytes.count) bytes is not a whole number of CIFAR-10 records of \(recordSize) bytes")
            }
            for r in 0..<(bytes.count / recordSize) {
                if let limit, labels.count >= limit { break }
                let offset = r * recordSize
                guard bytes[offset] < 10 else {
                    throw FileError.malformed(path, detail: "label \(bytes[offset]) at byte \(offset) is not in 0...9")
                }
                labels.append(Int(bytes[offset]))
                pixels += bytes[(offset + 1)..<(offset + recordSize)].map { Scalar($0) / 255 }
            }
        }
        return try Dataset(
            inputs: Tensor(shape: [labels.count, 3, 32, 32], scalars: pixels), labels: labels,
            classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
            name: "cifar10")
    }

    /// MNIST IDX files: images (magic 2051, `[N, 1, rows, cols]`, scaled to `[0, 1]`) and
    /// labels (magic 2049).
    public static func mnist<Scalar: TensorScalar>(
        images imagesPath: String, labels labelsPath: String,
        as: Scalar.Type = Float.self
    ) throws -> Dataset<Scalar> {
        let images = try readFile(imagesPath), labelBytes = try readFile(labelsPath)
        func bigEndian(_ b: [UInt8], _ at: Int) -> Int {
            b[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
        }
        guard images.count >= 16, bigEndian(images, 0) == 2051 else {
            throw FileError.malformed(imagesPath, detail: "not an IDX image file (expected magic number 2051 in bytes 0–3)")
        }
        guard labelBytes.count >= 8, bigEndian(labelBytes, 0) == 2049 else {
            throw FileError.malformed(labelsPath, detail: "not an IDX label file (expected magic number 2049 in bytes 0–3)")
        }
        let n = bigEndian(images, 4), rows = bigEndian(images, 8), cols = bigEndian(images, 12)
        guard images.count == 16 + n * rows * cols else {
            throw FileError.malformed(imagesPath, detail: "header says \(n) images of \(rows)×\(cols) (\(16 + n * rows * cols) bytes) but the file has \(images.count)")
        }
        let m = bigEndian(labelBytes, 4)
        guard m == n, labelBytes.count == 8 + n else {
            throw FileError.malformed(labelsPath, detail: "expected \(n) labels to match the images, header says \(m) and the file has \(labelBytes.count - 8) bytes of labels")
        }
        let labels = labelBytes[8...].map { Int($0) }
        if let bad = labels.firstIndex(where: { $0 > 9 }) {
            throw FileError.malformed(labelsPath, detail: "label \(labels[bad]) at byte \(8 + bad) is not in 0...9")
        }
        return try Dataset(
            inputs: Tensor(shape: [n, 1, rows, cols], scalars: images[16...].map { Scalar($0) / 255 }),
            labels: labels, classNames: (0...9).map(String.init), name: "mnist")
    }

    /// A `.npz` archive with inputs under `x` (or `inputs`/`data`) and integer labels under
    /// `y` (or `labels`), or a pair of `.npy` files.
    public static func numpy<Scalar: TensorScalar>(
        path: String, labelsPath: String? = nil,
        as: Scalar.Type = Float.self
    ) throws -> Dataset<Scalar> {
        let inputs: Tensor<Scalar>, labelTensor: Tensor<Double>
        if let labelsPath {
            inputs = try NumPyFormat.decode(readFile(path), source: path)
            labelTensor = try NumPyFormat.decode(readFile(labelsPath), source: labelsPath)
        } else {
            let arrays: [(name: String, tensor: Tensor<Scalar>)] = try NPZArchive.read(path)
            let labelArrays: [(name: String, tensor: Tensor<Double>)] = try NPZArchive.read(path)
            guard let x = arrays.first(where: { ["x", "inputs", "data", "X"].contains($0.name) }) else {
                throw FileError.malformed(path, detail: "no inputs array named x, X, inputs or data (found \(arrays.map(\.name)))")
            }
            guard let y = labelArrays.first(where: { ["y", "labels", "Y"].contains($0.name) }) else {
                throw FileError.malformed(path, detail: "no labels array named y, Y or labels (found \(arrays.map(\.name)))")
            }
            inputs = x.tensor
            labelTensor = y.tensor
        }
        let labels = labelTensor.scalars.map { Int($0) }
        guard labelTensor.scalars.allSatisfy({ $0 == $0.rounded() && $0 >= 0 }) else {
            throw FileError.malformed(labelsPath ?? path, detail: "labels must be non-negative integers")
        }
        return try Dataset(inputs: inputs, labels: labels, name: (path as NSString).lastPathComponent)
    }
}
