import Foundation
import Optimizers
import TestSupport
import Testing

@Suite struct ScheduleTests {

    @Test func constantAndStep() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, at: 1000) == 0.1)
        let s = LearningRateSchedule.step(every: 10, factor: 0.1)
        expectClose(s.rate(base: 1, at: 9), 1, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 10), 0.1, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 25), 0.01, tolerance: 1e-12)
    }

    @Test func exponentialPerEpoch() {
        let s = LearningRateSchedule.exponential(factor: 0.97, every: 50)
        expectClose(s.rate(base: 1, at: 49), 1, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 50), 0.97, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 150), 0.97 * 0.97 * 0.97, tolerance: 1e-12)
    }

    @Test func sqrtInverseAndExponentialDecay() {
        let r = LearningRateSchedule.sqrtDecay(total: 100)
        expectClose(r.rate(base: 2, at: 0), 2, tolerance: 1e-12)
        expectClose(r.rate(base: 2, at: 75), 1, tolerance: 1e-12)
        #expect(r.rate(base: 2, at: 200) == 0)
        expectClose(LearningRateSchedule.inverseTime(k: 0.5).rate(base: 1, at: 4), 1.0 / 3, tolerance: 1e-12)
        expectClose(LearningRateSchedule.exponentialDecay(k: 0.1).rate(base: 1, at: 10), exp(-1), tolerance: 1e-12)
    }

    @Test func cosine() {
        let s = LearningRateSchedule.cosine(total: 100, floor: 0)
        expectClose(s.rate(base: 1, at: 0), 1, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 50), 0.5, tolerance: 1e-12)
        #expect(abs(s.rate(base: 1, at: 100)) < 1e-15)
    }

    @Test func cyclicalPolicies() {
        let tri = LearningRateSchedule.cyclical(mode: .triangular, maxRate: 1, stepSize: 10, gamma: 1)
        expectClose(tri.rate(base: 0.1, at: 0), 0.1, tolerance: 1e-12)
        expectClose(tri.rate(base: 0.1, at: 5), 0.55, tolerance: 1e-12)
        expectClose(tri.rate(base: 0.1, at: 10), 1, tolerance: 1e-12)
        expectClose(tri.rate(base: 0.1, at: 20), 0.1, tolerance: 1e-12)
        expectClose(tri.rate(base: 0.1, at: 30), 1, tolerance: 1e-12)
        let tri2 = LearningRateSchedule.cyclical(mode: .triangular2, maxRate: 1, stepSize: 10, gamma: 1)
        expectClose(tri2.rate(base: 0, at: 10), 1, tolerance: 1e-12)
        expectClose(tri2.rate(base: 0, at: 30), 0.5, tolerance: 1e-12)
        expectClose(tri2.rate(base: 0, at: 50), 0.25, tolerance: 1e-12)
        let expRange = LearningRateSchedule.cyclical(mode: .expRange, maxRate: 1, stepSize: 10, gamma: 0.99)
        expectClose(expRange.rate(base: 0, at: 10), pow(0.99, 10), tolerance: 1e-12)
    }

    @Test func warmupThenAnySchedule() {
        let s = LearningRateSchedule.warmup(steps: 4, then: .step(every: 10, factor: 0.1))
        expectClose(s.rate(base: 1, at: 0), 0.25, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 3), 1, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 4), 1, tolerance: 1e-12)
        expectClose(s.rate(base: 1, at: 14), 0.1, tolerance: 1e-12)
    }
}
