import Foundation
import Optimizers
import Testing

@Suite struct ScheduleTests {
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }

    @Test func constantAndStep() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, at: 1000) == 0.1)
        let s = LearningRateSchedule.step(every: 10, factor: 0.1)
        #expect(close(s.rate(base: 1, at: 9), 1))
        #expect(close(s.rate(base: 1, at: 10), 0.1))
        #expect(close(s.rate(base: 1, at: 25), 0.01))
    }

    @Test func exponentialPerEpoch() {
        let s = LearningRateSchedule.exponential(factor: 0.97, every: 50)
        #expect(close(s.rate(base: 1, at: 49), 1))
        #expect(close(s.rate(base: 1, at: 50), 0.97))
        #expect(close(s.rate(base: 1, at: 150), 0.97 * 0.97 * 0.97))
    }

    @Test func sqrtInverseAndExponentialDecay() {
        let r = LearningRateSchedule.sqrtDecay(total: 100)
        #expect(close(r.rate(base: 2, at: 0), 2))
        #expect(close(r.rate(base: 2, at: 75), 1))
        #expect(r.rate(base: 2, at: 200) == 0)
        #expect(close(LearningRateSchedule.inverseTime(k: 0.5).rate(base: 1, at: 4), 1.0 / 3))
        #expect(close(LearningRateSchedule.exponentialDecay(k: 0.1).rate(base: 1, at: 10), exp(-1)))
    }

    @Test func cosine() {
        let s = LearningRateSchedule.cosine(total: 100, floor: 0)
        #expect(close(s.rate(base: 1, at: 0), 1))
        #expect(close(s.rate(base: 1, at: 50), 0.5))
        #expect(abs(s.rate(base: 1, at: 100)) < 1e-15)
    }

    @Test func cyclicalPolicies() {
        let tri = LearningRateSchedule.cyclical(mode: .triangular, maxRate: 1, stepSize: 10, gamma: 1)
        #expect(close(tri.rate(base: 0.1, at: 0), 0.1))
        #expect(close(tri.rate(base: 0.1, at: 5), 0.55))
        #expect(close(tri.rate(base: 0.1, at: 10), 1))
        #expect(close(tri.rate(base: 0.1, at: 20), 0.1))
        #expect(close(tri.rate(base: 0.1, at: 30), 1))
        let tri2 = LearningRateSchedule.cyclical(mode: .triangular2, maxRate: 1, stepSize: 10, gamma: 1)
        #expect(close(tri2.rate(base: 0, at: 10), 1))
        #expect(close(tri2.rate(base: 0, at: 30), 0.5))
        #expect(close(tri2.rate(base: 0, at: 50), 0.25))
        let expRange = LearningRateSchedule.cyclical(mode: .expRange, maxRate: 1, stepSize: 10, gamma: 0.99)
        #expect(close(expRange.rate(base: 0, at: 10), pow(0.99, 10)))
    }

    @Test func warmupThenAnySchedule() {
        let s = LearningRateSchedule.warmup(steps: 4, then: .step(every: 10, factor: 0.1))
        #expect(close(s.rate(base: 1, at: 0), 0.25))
        #expect(close(s.rate(base: 1, at: 3), 1))
        #expect(close(s.rate(base: 1, at: 4), 1))
        #expect(close(s.rate(base: 1, at: 14), 0.1))
    }
}
