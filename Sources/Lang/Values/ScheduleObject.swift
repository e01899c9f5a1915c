import Optimizers

/// A learning-rate schedule: `s.rate(t)`, `s.values(n)`.
public final class ScheduleObject: NativeObject {
    public let schedule: LearningRateSchedule
    public let base: Double
    public init(_ schedule: LearningRateSchedule, base: Double) { self.schedule = schedule; self.base = base }
    public var typeName: String { "schedule" }
    public var summary: String { "schedule \(schedule.formula), lr = \(formatNumber(base))" }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: ScheduleObject.self, "schedule", doc: "a learning rate as a function of the iteration (the training step).") { t in
            t.method("rate", [Param("t", .whole(.count), doc: "the iteration, from 0")], "The learning rate at iteration t (the training step, from 0).") { s, a, _ in
                .number(s.schedule.rate(base: s.base, at: try a.whole("t")))
            }
            t.method("values", [Param("n", .whole(.count.within(0...Value.maximumListCount)))], "The rates of the first n iterations.") { s, a, _ in
                let n = try a.whole("n")
                return .list((0..<n).map { .number(s.schedule.rate(base: s.base, at: $0)) })
            }
            t.property("formula", "The schedule's formula.") { s, _ in .string(s.schedule.formula) }
            t.property("base", "The base learning rate.") { s, _ in .number(s.base) }
        }
    }
}
