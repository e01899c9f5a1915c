import Autograd
import Foundation
import Random
import Tensors
import Training

func registerDataBuiltins(_ r: inout BuiltinRegistry) {
    let c = "Data"
    r.register(
        "synthetic_images", [Param("count", .whole(.count), default: 5000), Param("seed", .whole(.seed), default: 0), Param("noise", .nonNegative, default: 0.1)], category: c,
        doc: "The embedded CIFAR-10-shaped set: 32×32×3 images of 10 shape classes (disk, ring, square, bars, cross, stripes, checker, triangle, dots) in random colours and positions with pixel noise. Generated from the seed; no download.",
        example: "d = synthetic_images(100); d.x.shape"
    ) { a, _ in
        .object(
            DatasetObject(
                try SyntheticImages.make(
                    count: try a.whole("count"), seed: UInt64(try a.whole("seed")),
                    noise: try a.number("noise"))))
    }
    r.register(
        "course_images",
        [
            Param("count", .whole(.count), default: 1000), Param("split", .choice(CourseImages.Split.allCases.map(\.rawValue)), default: "train"),
            Param("seed", .whole(.seed), default: 0)
        ], category: c,
        doc: "The lessons' images: CIFAR-10 when `gradschool fetch cifar10` has put it in the data folder ($GRADSCHOOL_DATA), the embedded set (synthetic_images, seeded) otherwise. Prints which.",
        example: "course_images(20).x.shape"
    ) { a, interp in
        let choice = try CourseImages.load(
            count: try a.whole("count"), split: CourseImages.Split(rawValue: try a.string("split")) ?? .train, seed: UInt64(try a.whole("seed")),
            directory: interp.dataDirectory)
        interp.output("using \(choice.note)")
        return .object(DatasetObject(choice.images))
    }
    r.register(
        "spiral", [Param("points", .whole(.positiveCount), default: 100), Param("classes", .whole(.positiveCount), default: 3), Param("seed", .whole(.seed), default: 0)], category: c,
        doc: "The classic 2-D spiral: `classes` arms of `points` points each; a linear classifier cannot separate them.",
        example: "spiral(50).count"
    ) { a, _ in
        .object(
            DatasetObject(
                try Spiral.make(
                    pointsPerClass: try a.whole("points"), classes: try a.whole("classes"),
                    seed: UInt64(try a.whole("seed")))))
    }
    r.register(
        "dataset", [Param("x", .tensor), Param("labels", .wholes(.count)), Param("class_names", .value, default: .absent)], category: c, doc: "A dataset from an input tensor [N, …] and N integer labels.",
        example: "dataset(randn(4, 2), [0, 1, 1, 0]).classes"
    ) { a, _ in
        var names: [String]? = nil
        if case .list(let l)? = a.value("class_names") { names = l.map { format($0) } }
        return .object(DatasetObject(try Dataset(inputs: try a.tensor("x").value, labels: try a.wholeList("labels"), classNames: names)))
    }
    r.register(
        "split", [Param("data", .object("dataset")), Param("train", .whole(.count)), Param("val", .whole(.count)), Param("test", .whole(.count), default: .absent), Param("seed", .whole(.seed), default: 0)], category: c,
        doc: "Shuffles with the seed and cuts into train/val/test by counts (test gets the rest). Use .train and .val freely; read .test once, at the very end — a second look warns.",
        example: "s = split(spiral(50), train: 100, val: 25); s.train.count"
    ) { a, _ in
        let d = try dataset(a)
        let test: Int? = a.has("test") ? try a.whole("test") : nil
        return .object(SplitsObject(try d.split(train: try a.whole("train"), val: try a.whole("val"), test: test, seed: UInt64(try a.whole("seed")))))
    }
    r.register(
        "test_set", [Param("splits", .object("splits")), Param("confirm", .flag, default: false)], category: c,
        doc: "The test split. From the second call on it warns, unless confirm: true says you mean it.",
        example: "s = split(spiral(20), train: 40, val: 10); test_set(s).count"
    ) { a, interp in
        let s = try a.object("splits", as: SplitsObject.self)
        s.splits.warn = { interp.output("warning: " + $0) }
        return .object(DatasetObject(s.splits.test(confirm: try a.bool("confirm"))))
    }
    r.register(
        "take", [Param("data", .object("dataset")), Param("n", .whole(.count))], category: c, doc: "The first n examples of a dataset (`data[:n]` for datasets).",
        example: "take(spiral(50), 20).count"
    ) { a, _ in .object(DatasetObject(try dataset(a).prefix(try a.whole("n")))) }
    r.register(
        "sample_batch", [Param("data", .object("dataset")), Param("size", .whole(.count))], category: c,
        doc: "A random mini-batch [x, y] drawn without replacement from the session generator, for hand-written training loops: `x, y = sample_batch(data, 64)`.",
        example: "x, y = sample_batch(spiral(50), 8); x.shape"
    ) { a, interp in
        let d = try dataset(a)
        let n = min(try a.whole("size"), d.count)
        let idx = Array(shuffledIndices(d.count, using: &interp.generator).prefix(n))
        return .list([.tensor(Variable(try d.inputs.take(idx))), .list(idx.map { .number(Double(d.labels[$0])) })])
    }
    r.register(
        "preprocess", [Param("kind", .choice(["mean_image", "channel_mean", "per_channel_mean", "standardize", "pca", "pca_whiten", "zca_whiten"])), Param("train", .object("dataset")), Param("components", .whole(.positiveCount), default: 2), Param("eps", .nonNegative, default: 1e-5)], category: c,
        doc: "Fits preprocessing on the training split only: mean_image (subtract the mean example), channel_mean (one mean per colour channel), standardize, pca (project on the top components), pca_whiten, zca_whiten. Returns an object whose .apply(data) transforms any split the same way.",
        example: "p = preprocess(\"mean_image\", spiral(20)); p.apply(spiral(20)).x.shape"
    ) { a, _ in
        let kind = try a.string("kind")
        let k = try a.whole("components"), eps = try a.number("eps")
        let parsed: Preprocessing.Kind
        switch kind {
        case "mean_image": parsed = .meanImage
        case "channel_mean", "per_channel_mean": parsed = .perChannelMean
        case "standardize": parsed = .standardize
        case "pca": parsed = .pca(components: k)
        case "pca_whiten": parsed = .pcaWhiten(components: k, epsilon: eps)
        case "zca_whiten": parsed = .zcaWhiten(epsilon: eps)
        default: throw LangError(.runtime, "preprocess: unknown kind \"\(kind)\"; choose mean_image, channel_mean, standardize, pca, pca_whiten or zca_whiten")
        }
        return .object(PreprocessorObject(try Preprocessing(parsed, fittedOn: try dataset(a, "train"))))
    }
    r.register(
        "augment",
        [
            Param("x", .value, doc: "a dataset or a tensor of images"), Param("crop", .whole(.window), default: 4), Param("flip", .flag, default: true),
            Param("jitter", .fraction, default: 0, doc: "colour jitter from 0 to 1: brightness and per-channel gain each drawn from ±jitter"),
            Param("seed", .whole(.seed), default: .absent)
        ], category: c,
        doc: "Random crops (pad by `crop` pixels, cut a window of the original size), random horizontal flips and colour jitter (x·(1 + c_channel) + b, with b and each c drawn from ±jitter per image) of images [N, C, H, W] or of a dataset's images.",
        example: "augment(randn(2, 3, 8, 8), crop: 2).shape"
    ) { a, interp in
        let aug = Augmentation(cropPadding: try a.whole("crop"), horizontalFlip: try a.bool("flip"), colorJitter: try a.number("jitter"))
        var g = a.has("seed") ? SeededGenerator(seed: UInt64(try a.whole("seed"))) : interp.generator
        defer { if !a.has("seed") { interp.generator = g } }
        if case .object(let d as DatasetObject)? = a.value("x") {
            return .object(DatasetObject(try d.data.replacingInputs(try aug.apply(d.data.inputs, using: &g))))
        }
        return .tensor(Variable(try aug.apply(try a.tensor("x").value, using: &g)))
    }
    r.register(
        "load_cifar", [Param("paths", .text, variadic: true), Param("limit", .whole(.count), default: .absent)], category: c,
        doc: "Reads CIFAR-10 binary batch files (data_batch_1.bin …); pixels scaled to [0, 1].",
        example: "# load_cifar(\"cifar-10-batches-bin/data_batch_1.bin\")\n1"
    ) { a, _ in
        let paths = try a.values("paths").map { v -> String in
            guard case .string(let s) = v else { throw LangError(.type, "load_cifar: paths must be strings") }; return s
        }
        let limit: Int? = a.has("limit") ? try a.whole("limit") : nil
        return .object(DatasetObject(try DataLoaders.cifar10(paths: paths, limit: limit)))
    }
    r.register(
        "load_mnist", [Param("images", .text), Param("labels", .text)], category: c, doc: "Reads MNIST IDX image and label files ([N, 1, 28, 28], scaled to [0, 1]).",
        example: "# load_mnist(\"train-images-idx3-ubyte\", \"train-labels-idx1-ubyte\")\n1"
    ) { a, _ in
        .object(DatasetObject(try DataLoaders.mnist(images: try a.string("images"), labels: try a.string("labels"))))
    }
    r.register(
        "load_npz", [Param("path", .text), Param("labels", .text, default: .absent)], category: c,
        doc: "A dataset from a .npz with arrays x and y, or from two .npy files (inputs, labels).",
        example: "# load_npz(\"my_data.npz\")\n1"
    ) { a, _ in
        .object(DatasetObject(try DataLoaders.numpy(path: try a.string("path"), labelsPath: a.has("labels") ? try a.string("labels") : nil)))
    }
    r.register(
        "coco_stats", [Param("path", .text)], category: c,
        doc: "Statistics of a COCO-format annotation file as the COCO paper reports them: instances per image, categories per image, instances per category (the long tail). `coco_stats(\"demo\")` uses a generated annotation set.",
        example: "s = coco_stats(\"demo\"); s.images"
    ) { a, _ in
        let s = try cocoStatistics(a)
        return .object(
            RecordObject(
                "coco statistics",
                [
                    ("images", .number(Double(s.imageCount))), ("instances", .number(Double(s.annotationCount))),
                    ("categories", .list(s.categoryNames.map { .string($0) })),
                    ("instances_per_image", numbers(s.instancesPerImage.map(Double.init))),
                    ("categories_per_image", numbers(s.categoriesPerImage.map(Double.init))),
                    ("instances_per_category", numbers(s.instancesPerCategory.map { Double($0.count) })),
                    ("mean_instances_per_image", .number(s.meanInstancesPerImage)),
                    ("mean_categories_per_image", .number(s.meanCategoriesPerImage)),
                    ("box_sizes", numbers([s.boxSizes.small, s.boxSizes.medium, s.boxSizes.large].map(Double.init)))
                ], summary: s.summary))
    }
    r.register(
        "coco_split", [Param("path", .text), Param("val", .fraction, default: 0.2), Param("seed", .whole(.seed), default: 0)], category: c,
        doc: "Splits a COCO-format annotation file's images (never one image's objects) into train and validation with the seed, and counts each category's instances on both sides, most frequent category first; .missing_from_val names the categories validation has none of.",
        example: "p = coco_split(\"demo\", val: 0.2); len(p.val_images)"
    ) { a, _ in
        let stats = try cocoStatistics(a)
        let cut = try stats.split(validationFraction: try a.number("val"), seed: UInt64(try a.whole("seed")))
        return .object(
            RecordObject(
                "coco split",
                [
                    ("train_images", numbers(cut.trainImages.map(Double.init))), ("val_images", numbers(cut.validationImages.map(Double.init))),
                    ("categories", .list(stats.instancesPerCategory.map { .string($0.name) })),
                    ("train_instances", numbers(cut.trainInstances.map(Double.init))), ("val_instances", numbers(cut.validationInstances.map(Double.init))),
                    ("missing_from_val", .list(cut.missingFromValidation.map { .string($0) }))
                ],
                summary:
                    "coco split: \(cut.trainImages.count) training and \(cut.validationImages.count) validation images; "
                    + (cut.missingFromValidation.isEmpty ? "every category is in both" : "validation has no \(cut.missingFromValidation.joined(separator: ", "))")))
    }
    r.register(
        "folds", [Param("data", .object("dataset")), Param("k", .whole(.positiveCount), default: 5), Param("seed", .whole(.seed), default: 0)], category: c,
        doc: "k-fold cross-validation: shuffles with the seed, cuts into k folds, and returns k records with .train (the other k − 1 folds) and .val (this fold); every example is validated on once.",
        example: "f = folds(spiral(20), k: 3); [len(f), f[0].val.count]"
    ) { a, _ in
        .list(
            try dataset(a).folds(try a.whole("k"), seed: UInt64(try a.whole("seed"))).enumerated().map { i, f in
                .object(RecordObject("fold \(i + 1)", [("train", .object(DatasetObject(f.train))), ("val", .object(DatasetObject(f.validation)))], summary: "fold \(i + 1): train \(f.train.count), val \(f.validation.count)"))
            })
    }
    r.register(
        "course_file", [Param("name", .text)], category: c,
        doc: "The path of a file shipped with the course in lessons/data/ (such as annotations-sample.json, a COCO-format annotation file).",
        example: "# coco_stats(course_file(\"annotations-sample.json\"))\n1"
    ) { a, interp in
        let name = try a.string("name")
        guard let folder = interp.courseFiles else {
            throw LangError(.runtime, "course_file: the course's lessons/data/ folder was not found; run gradschool from the GradSchool package folder or set GRADSCHOOL_LESSONS")
        }
        let path = folder.appendingPathComponent(name).path
        var isFolder: ObjCBool = false
        guard !name.isEmpty, !name.contains(".."), FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            let there = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().joined(separator: ", ")) ?? ""
            throw LangError(.runtime, "course_file: no \(name) in \(folder.path)\(there.isEmpty ? "" : "; it has " + there)")
        }
        return .string(path)
    }
}

/// The annotation file named by the `path` argument, or the generated set for `"demo"`.
func cocoStatistics(_ a: Arguments) throws -> COCOStatistics {
    let path = try a.string("path")
    return path == "demo" ? try COCOStatistics(json: SyntheticCOCO.json(), source: "demo") : try COCOStatistics(path: path)
}
