import Foundation
import Random
import Tensors

/// The dataset statistics the COCO paper reports, from a COCO-format annotation file
/// (`images`, `annotations` with `image_id` and `category_id`, `categories` with `id`, `name`).
public struct COCOStatistics: Sendable {
    public let imageCount: Int
    public let annotationCount: Int
    /// Category names by id order.
    public let categoryNames: [String]
    /// Instances (annotations) in each image, in image order.
    public let instancesPerImage: [Int]
    /// Distinct categories in each image, in image order.
    public let categoriesPerImage: [Int]
    /// `(category, instances)` sorted from most to least frequent — the long tail.
    public let instancesPerCategory: [(name: String, count: Int)]
    /// Boxes by COCO's size buckets, from each annotation's `area` (else its `bbox` w·h):
    /// small (< 32² pixels), medium (32² to 96²), large (> 96²); annotations with neither
    /// are not counted.
    public let boxSizes: (small: Int, medium: Int, large: Int)
    /// The image ids in file order, and each annotation's (image index, category index), for
    /// splits by image.
    let imageIDs: [Int]
    let annotationIndex: [(image: Int, category: Int)]

    public var meanInstancesPerImage: Double { mean(instancesPerImage) }
    public var meanCategoriesPerImage: Double { mean(categoriesPerImage) }

    /// How many images have exactly `k` categories, for `k` in `0...max`.
    public var categoriesPerImageHistogram: [Int] { histogram(categoriesPerImage) }
    /// How many images have exactly `k` instances, for `k` in `0...max`.
    public var instancesPerImageHistogram: [Int] { histogram(instancesPerImage) }

    /// Reads and summarizes an annotation file.
    public init(path: String) throws {
        try self.init(json: Data(try InputFile.bytes(path)), source: path)
    }

    public init(json data: Data, source: String = "annotations") throws {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw FileError.malformed(source, detail: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = root as? [String: Any] else { throw FileError.malformed(source, detail: "the top level must be a JSON object") }
        guard let images = object["images"] as? [[String: Any]] else { throw FileError.malformed(source, detail: "missing an \"images\" array") }
        guard let annotations = object["annotations"] as? [[String: Any]] else {
            throw FileError.malformed(source, detail: "missing an \"annotations\" array")
        }
        guard let categories = object["categories"] as? [[String: Any]] else {
            throw FileError.malformed(source, detail: "missing a \"categories\" array")
        }
        func int(_ v: Any?) -> Int? { (v as? NSNumber)?.intValue }
        var imageIndex: [Int: Int] = [:]
        for (i, image) in images.enumerated() {
            guard let id = int(image["id"]) else { throw FileError.malformed(source, detail: "images[\(i)] has no integer \"id\"") }
            imageIndex[id] = i
        }
        var categoryIndex: [Int: Int] = [:]
        var names: [String] = []
        for (i, c) in categories.enumerated() {
            guard let id = int(c["id"]) else { throw FileError.malformed(source, detail: "categories[\(i)] has no integer \"id\"") }
            categoryIndex[id] = i
            names.append(c["name"] as? String ?? "category \(id)")
        }
        var perImage = [Int](repeating: 0, count: images.count)
        var categorySets = [Set<Int>](repeating: [], count: images.count)
        var perCategory = [Int](repeating: 0, count: categories.count)
        var sizes = (small: 0, medium: 0, large: 0)
        var pairs: [(image: Int, category: Int)] = []
        for (i, a) in annotations.enumerated() {
            guard let imageID = int(a["image_id"]), let img = imageIndex[imageID] else {
                throw FileError.malformed(source, detail: "annotations[\(i)] refers to an unknown image_id \(String(describing: a["image_id"] ?? "nil"))")
            }
            guard let categoryID = int(a["category_id"]), let cat = categoryIndex[categoryID] else {
                throw FileError.malformed(source, detail: "annotations[\(i)] refers to an unknown category_id \(String(describing: a["category_id"] ?? "nil"))")
            }
            perImage[img] += 1
            categorySets[img].insert(cat)
            perCategory[cat] += 1
            pairs.append((img, cat))
            let box = (a["bbox"] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue }
            let area = (a["area"] as? NSNumber)?.doubleValue ?? box.flatMap { $0.count == 4 ? $0[2] * $0[3] : nil }
            if let area {
                if area < 32 * 32 { sizes.small += 1 } else if area <= 96 * 96 { sizes.medium += 1 } else { sizes.large += 1 }
            }
        }
        boxSizes = sizes
        annotationIndex = pairs
        imageIDs = images.enumerated().map { int($0.element["id"]) ?? $0.offset }
        imageCount = images.count
        annotationCount = annotations.count
        categoryNames = names
        instancesPerImage = perImage
        categoriesPerImage = categorySets.map(\.count)
        instancesPerCategory = zip(names, perCategory).map { (name: $0, count: $1) }.sorted { $0.count > $1.count }
    }

    public var summary: String {
        var lines = [
            "\(imageCount) images, \(annotationCount) instances, \(categoryNames.count) categories",
            String(format: "instances per image: mean %.2f, max %d", meanInstancesPerImage, instancesPerImage.max() ?? 0),
            String(format: "categories per image: mean %.2f, max %d", meanCategoriesPerImage, categoriesPerImage.max() ?? 0),
            "instances per category (most to least):"
        ]
        for (name, count) in instancesPerCategory.prefix(10) { lines.append("  \(name): \(count)") }
        if instancesPerCategory.count > 10 { lines.append("  … \(instancesPerCategory.count - 10) more") }
        return lines.joined(separator: "\n")
    }
}

private func mean(_ xs: [Int]) -> Double { xs.isEmpty ? 0 : Double(xs.reduce(0, +)) / Double(xs.count) }
private func histogram(_ xs: [Int]) -> [Int] {
    var h = [Int](repeating: 0, count: (xs.max() ?? 0) + 1)
    for x in xs { h[x] += 1 }
    return h
}

extension COCOStatistics {
    /// A split by image (never splitting one image's objects between the two sides): the
    /// images shuffled with `seed`, the first `validationFraction` of them validation.
    public struct Split: Sendable {
        public let trainImages: [Int]
        public let validationImages: [Int]
        /// Instances per category on each side, in `instancesPerCategory`'s order (most
        /// frequent first).
        public let trainInstances: [Int]
        public let validationInstances: [Int]
        /// Categories with instances in training but none in validation: accuracy on them
        /// cannot be measured.
        public let missingFromValidation: [String]
    }

    public func split(validationFraction: Double, seed: UInt64 = 0) throws -> Split {
        guard validationFraction > 0, validationFraction < 1 else {
            throw DataError.invalid("coco split: the validation fraction must be between 0 and 1 (exclusive), got \(validationFraction)")
        }
        var g = SeededGenerator(seed: seed)
        let order = shuffledIndices(imageCount, using: &g)
        let held = max(1, Int((Double(imageCount) * validationFraction).rounded()))
        var isValidation = [Bool](repeating: false, count: imageCount)
        for i in order.prefix(held) { isValidation[i] = true }
        let rank = Dictionary(uniqueKeysWithValues: instancesPerCategory.enumerated().map { ($0.element.name, $0.offset) })
        var train = [Int](repeating: 0, count: categoryNames.count), validation = train
        for (image, category) in annotationIndex {
            guard let r = rank[categoryNames[category]] else { continue }
            if isValidation[image] { validation[r] += 1 } else { train[r] += 1 }
        }
        let missing = instancesPerCategory.enumerated().filter { train[$0.offset] > 0 && validation[$0.offset] == 0 }.map(\.element.name)
        return Split(
            trainImages: (0..<imageCount).filter { !isValidation[$0] }.map { imageIDs[$0] },
            validationImages: (0..<imageCount).filter { isValidation[$0] }.map { imageIDs[$0] },
            trainInstances: train, validationInstances: validation, missingFromValidation: missing)
    }
}

/// A small COCO-format annotation set generated from a seed, with a long-tailed category
/// distribution (Zipf-like) and boxes of COCO's three size buckets, for lessons that need
/// one without a download. `lessons/data/annotations-sample.json` is `json()` written out.
public enum SyntheticCOCO {
    /// COCO's first twenty category names, most frequent first in the generated set.
    static let names = [
        "person", "car", "chair", "book", "bottle", "cup", "dining table", "bowl", "traffic light", "handbag",
        "umbrella", "bird", "boat", "truck", "bench", "sheep", "banana", "kite", "motorcycle", "backpack"
    ]

    public static func json(images: Int = 200, categories: Int = 20, seed: UInt64 = 0) -> Data {
        var g = SeededGenerator(seed: seed)
        var annotations: [[String: Any]] = []
        let weights = (1...categories).map { 1 / Double($0) }
        let total = weights.reduce(0, +)
        for image in 0..<images {
            let instances = Int(-3 * Foundation.log(max(g.nextUniform(), 1e-9)))
            for _ in 0..<instances {
                var u = g.nextUniform() * total, c = 0
                while c < categories - 1 && u > weights[c] { u -= weights[c]; c += 1 }
                // Box sides log-uniform from 8 to 320 pixels: all three COCO size buckets.
                let w = (8 * Foundation.pow(40, g.nextUniform())).rounded(), h = (8 * Foundation.pow(40, g.nextUniform())).rounded()
                let x = (g.nextUniform() * max(0, 640 - w)).rounded(), y = (g.nextUniform() * max(0, 480 - min(h, 480))).rounded()
                annotations.append([
                    "id": annotations.count + 1, "image_id": image + 1, "category_id": c + 1, "bbox": [x, y, w, min(h, 480)],
                    "area": w * min(h, 480), "iscrowd": 0
                ])
            }
        }
        let object: [String: Any] = [
            "info": ["description": "GradSchool's generated sample in the COCO annotation format", "version": "1.0"],
            "images": (1...images).map { ["id": $0, "width": 640, "height": 480, "file_name": String(format: "%012d.jpg", $0)] },
            "annotations": annotations,
            "categories": (1...categories).map { ["id": $0, "name": $0 <= names.count ? names[$0 - 1] : "category \($0)", "supercategory": "object"] }
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
