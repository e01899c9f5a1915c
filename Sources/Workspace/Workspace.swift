import Autograd
import Foundation
import Lang
import NeuralNet
import Optimizers
import Tensors
import Training

/// `:save` / `:load`: the session's variables in one `.npz` — tensors, models (architecture and
/// weights, BatchNorm statistics), datasets, optimizers with their state, and plain values —
/// plus a JSON manifest stored as the byte array `__manifest__`. Histories, splits, schedules
/// and functions are listed as not saved.
public enum Workspace {
    /// Saves and returns the names it could not save.
    public static func save(_ interp: Interpreter, to path: String) throws -> [String] {
        var arrays: [(name: String, tensor: Tensor<Float>)] = []
        var manifest: [[String: Any]] = []
        var skipped: [String] = []
        var modelOwners: [ObjectIdentifier: String] = [:]
        let names = interp.globals.names
        for name in names {
            if case .object(let m as ModelObject)? = interp.globals.lookup(name), let first = m.module.parameters.first {
                modelOwners[ObjectIdentifier(first.variable)] = name
            }
        }
        for name in names {
            let value = interp.globals.lookup(name)!
            if let json = plainJSON(value) { manifest.append(["name": name, "kind": "plain", "value": json]); continue }
            switch value {
            case .tensor(let t):
                arrays.append(("t/\(name)", t.value))
                manifest.append(["name": name, "kind": "tensor", "requires_grad": t.requiresGrad])
            case .object(let m as ModelObject):
                for (n, t) in try m.module.checkpointArrays() { arrays.append(("m/\(name)/\(n)", t)) }
                manifest.append(["name": name, "kind": "model", "training": m.module.training])
            case .object(let d as DatasetObject):
                arrays.append(("d/\(name)/x", d.data.inputs))
                arrays.append(("d/\(name)/y", Tensor(d.data.labels.map { Float($0) })))
                manifest.append(["name": name, "kind": "dataset", "class_names": d.data.classNames, "dataset_name": d.data.name])
            case .object(let o as OptimizerObject):
                guard let first = o.optimizer.parameters.first, let owner = modelOwners[ObjectIdentifier(first.variable)],
                    UpdateRule(rawValue: o.optimizer.name) != nil
                else { skipped.append(name); continue }
                for (n, t) in o.optimizer.stateArrays { arrays.append(("o/\(name)/\(n)", t)) }
                manifest.append([
                    "name": name, "kind": "optimizer", "rule": o.optimizer.name, "model": owner,
                    "hyperparameters": Dictionary(o.optimizer.hyperparameters, uniquingKeysWith: { a, _ in a })
                ])
            default:
                skipped.append(name)
            }
        }
        let data = try JSONSerialization.data(withJSONObject: ["version": 2, "variables": manifest], options: [.sortedKeys])
        arrays.append(("__manifest__", Tensor([UInt8](data).map { Float($0) })))
        try NPZArchive.write(arrays, to: path)
        return skipped
    }

    /// Loads a workspace; builds every value first, so a bad file changes nothing.
    public static func load(into interp: Interpreter, from path: String) throws -> [String] {
        let arrays: [(name: String, tensor: Tensor<Float>)] = try NPZArchive.read(path)
        let byName = Dictionary(arrays.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        guard let bytes = byName["__manifest__"],
            let object = try? JSONSerialization.jsonObject(with: Data(bytes.scalars.map { UInt8($0) })) as? [String: Any],
            let variables = object["variables"] as? [[String: Any]]
        else {
            throw LangError(.runtime, "\(path): not a GradSchool workspace (no readable __manifest__); use load(net, path) for model weights")
        }
        func array(_ key: String) throws -> Tensor<Float> {
            guard let t = byName[key] else { throw LangError(.runtime, "\(path): the workspace is missing the array \(key)") }
            return t
        }
        var built: [(String, Value)] = []
        var models: [String: Module<Float>] = [:]
        for v in variables where (v["kind"] as? String) != "optimizer" {
            guard let name = v["name"] as? String, let kind = v["kind"] as? String else { continue }
            switch kind {
            case "plain": built.append((name, try plainValue(v["value"] as Any)))
            case "tensor": built.append((name, .tensor(Variable(try array("t/\(name)"), requiresGrad: v["requires_grad"] as? Bool ?? true))))
            case "model":
                let module = try model(name, v, byName, version: object["version"] as? Int ?? 1, source: path)
                module.training = v["training"] as? Bool ?? true
                models[name] = module
                built.append((name, .object(ModelObject(module))))
            case "dataset":
                let x = try array("d/\(name)/x"), y = try array("d/\(name)/y")
                let d = try Dataset(
                    inputs: x,
                    labels: try y.scalars.map {
                        try Arguments.whole(Double($0), name: "the labels of \(name)", .count, callee: path, location: .unknown)
                    }, classNames: v["class_names"] as? [String],
                    name: v["dataset_name"] as? String ?? name)
                built.append((name, .object(DatasetObject(d))))
            default: throw LangError(.runtime, "\(path): unknown variable kind \(kind)")
            }
        }
        for v in variables where (v["kind"] as? String) == "optimizer" {
            guard let name = v["name"] as? String, let ruleName = v["rule"] as? String, let rule = UpdateRule(rawValue: ruleName),
                let owner = v["model"] as? String, let module = models[owner]
            else {
                throw LangError(.runtime, "\(path): an optimizer entry is incomplete")
            }
            let hp = v["hyperparameters"] as? [String: Double] ?? [:]
            let opt: Optimizer<Float> = rule.make(parameters: module.parameters, hyperparameters: hp)
            let prefix = "o/\(name)/"
            try opt.restoreState(arrays.filter { $0.name.hasPrefix(prefix) }.map { (String($0.name.dropFirst(prefix.count)), $0.tensor) })
            built.append((name, .object(OptimizerObject(opt))))
        }
        for (name, value) in built { interp.globals.define(name, value) }
        return built.map(\.0)
    }

    static func plainJSON(_ v: Value) -> Any? {
        switch v {
        case .number(let x): return x.isFinite ? ["n": x] : ["s_number": "\(x)"]
        case .string(let s): return ["s": s]
        case .bool(let b): return ["b": b]
        case .none: return ["none": true]
        case .range(let a, let b): return ["range": [a, b]]
        case .list(let items):
            let parts = items.map(plainJSON)
            return parts.contains { $0 == nil } ? nil : ["list": parts.map { $0! }]
        default: return nil
        }
    }

    static func plainValue(_ json: Any) throws -> Value {
        guard let d = json as? [String: Any] else { throw LangError(.runtime, "workspace: malformed value") }
        if let x = d["n"] as? Double { return .number(x) }
        if let s = d["s_number"] as? String { return .number(Double(s) ?? .nan) }
        if let s = d["s"] as? String { return .string(s) }
        if let b = d["b"] as? Bool { return .bool(b) }
        if d["none"] != nil { return .none }
        if let r = d["range"] as? [Int], r.count == 2 { return .range(r[0], r[1]) }
        if let l = d["list"] as? [Any] { return .list(try l.map(plainValue)) }
        throw LangError(.runtime, "workspace: malformed value")
    }

    /// A saved model made again. Version 2 stores each model as a checkpoint under
    /// `m/<name>/` (architecture, parameters, buffers); version 1 listed the layers' settings
    /// in the manifest, under the same names the layer descriptions use, and kept batch-norm
    /// statistics as `bn<i>/mean` and `bn<i>/var` in layer order.
    static func model(
        _ name: String, _ entry: [String: Any], _ byName: [String: Tensor<Float>], version: Int,
        source: String
    ) throws -> Module<Float> {
        let prefix = "m/\(name)/"
        var arrays: [String: Tensor<Float>] = [:]
        for (key, t) in byName where key.hasPrefix(prefix) { arrays[String(key.dropFirst(prefix.count))] = t }
        do {
            if version >= 2 {
                let module = try LayerCatalog<Float>.standard.make(try LayerCatalog<Float>.architecture(in: arrays, source: source))
                try module.restore(from: arrays, source: "\(source), model \(name)")
                return module
            }
            guard let layers = entry["layers"] as? [[String: Any]] else { throw LangError(.runtime, "\(source): model \(name) has no layer list") }
            let module = try LayerCatalog<Float>.standard.make(LayerDescription("Sequential", layers: try layers.map(description)))
            var statistics = arrays
            let means = module.allBuffers.filter { $0.name.hasSuffix("running_mean") }
            for (i, b) in means.enumerated() {
                let path = String(b.name.dropLast("running_mean".count))
                statistics["buffers/\(path)running_mean"] = arrays["bn\(i)/mean"]
                statistics["buffers/\(path)running_var"] = arrays["bn\(i)/var"]
            }
            try module.restore(from: statistics, source: "\(source), model \(name)")
            return module
        } catch let e as any ExplainedError { throw LangError(.runtime, e.message) }
    }

    /// A version-1 layer entry (`{"type": "Linear", "in": 4, …}`) as a description.
    static func description(_ d: [String: Any]) throws -> LayerDescription {
        guard let type = d["type"] as? String else { throw LangError(.runtime, "workspace: a layer entry has no type") }
        var settings: [String: Double] = [:]
        for (key, value) in d {
            // Numbers first: a bridged JSON number also reads as a Bool.
            if let x = value as? Double { settings[key] = x } else if let b = value as? Bool { settings[key] = b ? 1 : 0 }
        }
        let inner = try (d["layers"] as? [[String: Any]] ?? []).map(description)
        return LayerDescription(type, settings, layers: inner)
    }
}
