import Foundation
import HarmoniaCore
import ServiceLifecycle
import Synchronization
import HarmoniaTestSupport
import Testing

@testable import HarmoniaDiscovery
import HarmoniaEngine

/// The registration loop against the Hermes double, with 50 ms heartbeats.
@Suite(.timeLimit(.minutes(1)))
struct HermesRegistrationServiceTests {
    static let endpoint = "http://localhost:8007"

    func service(
        _ url: String, heartbeat: Duration = .milliseconds(50), initialBackoff: Duration = .milliseconds(20),
        maxBackoff: Duration = .milliseconds(100)
    ) -> HermesRegistrationService {
        // A request timeout no test here is about (an unreachable Hermes refuses at once):
        // long, so a loaded machine's slow answer is not taken for Hermes being down.
        let configuration = HermesConfiguration(
            url: url, heartbeatInterval: heartbeat, requestTimeout: .seconds(30), initialBackoff: initialBackoff,
            maxBackoff: maxBackoff)
        return HermesRegistrationService(
            client: HermesClient(url: url, timeout: configuration.requestTimeout), configuration: configuration,
            registration: {
                HermesRegistration.harmonia(endpoint: Self.endpoint, version: "0.1.0", dataDirectory: "/var/harmonia")
            }, logger: quietLogger)
    }

    func heartbeatsAccepted(_ hermes: HermesDouble) -> [HermesDouble.Recorded] {
        hermes.requests("/api/heartbeat").filter { $0.status == 200 }
    }

    @Test func registersWithTheRightBodyThenHeartbeatsWithTheExactToken() async throws {
        try await withHermes { hermes in
            let registration = service(hermes.url)
            try await withServices([registration]) { _ in
                await eventually("three accepted heartbeats") { heartbeatsAccepted(hermes).count >= 3 }
                #expect(registration.isRegistered)
                let register = try #require(hermes.requests("/api/register").first)
                let body = try #require(register.body?.objectValue)
                #expect(body["component_id"] == "harmonia")
                #expect(body["name"] == "harmonia")
                #expect(body["type"] == "harmonia")
                #expect(body["endpoint"] == .string(Self.endpoint))
                #expect(body["version"] == "0.1.0")
                #expect(
                    body["capabilities"]
                        == ["workflow_orchestration", "state_management", "event_streaming", "component_coordination"])
                #expect(body["metadata"]?.objectValue?["data_dir"] == "/var/harmonia")
                let token = try #require(hermes.entry(id: "harmonia")?.token)
                for heartbeat in hermes.requests("/api/heartbeat") {
                    #expect(heartbeat.token == token)
                    #expect(heartbeat.body == .object(["component_id": "harmonia", "status": .emptyObject]))
                }
                #expect(hermes.entry(id: "harmonia")?.lastHeartbeat != nil)
            }
        }
    }

    /// The real Hermes keeps accepting the old token after a restart (its secret is fixed)
    /// while its registry is empty: heartbeats alone never notice. The discovery poll's
    /// registry read, wired to registration as the server wires it, does.
    @Test func registersAgainWhenARestartedHermesNoLongerListsIt() async throws {
        try await withHermes { hermes in
            let registration = service(hermes.url)
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url, timeout: .seconds(30)), registry: AdapterRegistry(),
                provisioner: RecordingProvisioner(), pollInterval: .milliseconds(50), environment: [:],
                logger: quietLogger)
            discovery.observeRegistry { ids, started in
                registration.registryRead(lists: ids.contains("harmonia"), startedAt: started)
            }
            try await withServices([registration]) { _ in
                await eventually("a first heartbeat") { !heartbeatsAccepted(hermes).isEmpty }
                let oldToken = try #require(hermes.entry(id: "harmonia")?.token)
                // A restart between two heartbeats: none of them fails (one that failed
                // would make the next contact a registration, tested below), so only the
                // registry can tell.
                hermes.forgetRegistry()
                #expect(hermes.entries.isEmpty)
                await eventually("a heartbeat with the old token is accepted after the restart") {
                    heartbeatsAccepted(hermes).filter { $0.token == oldToken }.count >= 3
                }
                #expect(hermes.entry(id: "harmonia") == nil, "heartbeats alone do not bring the entry back")
                #expect(registration.status.registrations == 1)

                await discovery.reconcile()
                await eventually("registered again and heartbeating with the new token") {
                    guard let entry = hermes.entry(id: "harmonia"), entry.token != oldToken else { return false }
                    return heartbeatsAccepted(hermes).contains { $0.token == entry.token }
                }
                #expect(registration.status.registrations == 2)
                #expect(registration.isRegistered)
                #expect(!hermes.requests("/api/heartbeat").contains { $0.status == 401 })
            }
        }
    }

    /// Seen with the real Hermes: while it was down the heartbeats failed, and once it was
    /// back the old token got 200 while its fresh registry did not list Harmonia. So after
    /// heartbeats fail, the next contact is a registration; no registry read is needed.
    @Test func registersAgainWhenHermesComesBackAfterHeartbeatsFailed() async throws {
        try await withHermes { hermes in
            let registration = service(hermes.url)
            try await withServices([registration]) { _ in
                await eventually("a first heartbeat") { !heartbeatsAccepted(hermes).isEmpty }
                let oldToken = try #require(hermes.entry(id: "harmonia")?.token)
                await hermes.stop()
                hermes.forgetRegistry()
                await eventually("a heartbeat that cannot reach Hermes") { registration.status.failures >= 1 }
                #expect(!registration.isRegistered)
                try await hermes.start()
                await eventually("listed again with a new token") {
                    guard let entry = hermes.entry(id: "harmonia") else { return false }
                    return entry.token != oldToken && heartbeatsAccepted(hermes).contains { $0.token == entry.token }
                }
                #expect(registration.status.registrations == 2)
                #expect(registration.isRegistered)
                let accepted = heartbeatsAccepted(hermes)
                let lastOld = accepted.lastIndex { $0.token == oldToken }
                let firstNew = accepted.firstIndex { $0.token != oldToken }
                #expect(lastOld != nil && firstNew != nil && lastOld! < firstNew!, "no heartbeat with the old token after the downtime")
            }
        }
    }

    /// A registry read that began before the latest registration may predate it: it proves
    /// nothing, and must not make Harmonia register again.
    @Test func aRegistryReadOlderThanTheRegistrationIsIgnored() async throws {
        try await withHermes { hermes in
            let registration = service(hermes.url)
            let before = ContinuousClock.now
            try await withServices([registration]) { _ in
                await eventually("registered") { registration.isRegistered }
                registration.registryRead(lists: false, startedAt: before)
                #expect(registration.isRegistered)
                await eventually("two more heartbeats") { heartbeatsAccepted(hermes).count >= 3 }
                #expect(registration.status.registrations == 1)
            }
        }
    }

    /// The token is expired by the double at a chosen moment rather than by a short
    /// lifetime, so a loaded machine cannot let every new token expire before its first heartbeat.
    @Test func registersAgainWhenTheTokenExpires() async throws {
        try await withHermes { hermes in
            let registration = service(hermes.url)
            try await withServices([registration]) { _ in
                await eventually("a first heartbeat") { !heartbeatsAccepted(hermes).isEmpty }
                let expired = try #require(hermes.entry(id: "harmonia")?.token)
                hermes.expireToken(id: "harmonia")
                await eventually("a 401 for the expired token, then a new registration and heartbeat") {
                    guard let entry = hermes.entry(id: "harmonia"), entry.token != expired else { return false }
                    return heartbeatsAccepted(hermes).contains { $0.token == entry.token }
                }
                #expect(hermes.requests("/api/heartbeat").contains { $0.status == 401 && $0.token == expired })
                #expect(registration.status.registrations == 2)
                #expect(registration.isRegistered)
                #expect(hermes.entries.map(\.componentID) == ["harmonia"])
            }
        }
    }

    @Test func unregistersOnGracefulShutdown() async throws {
        try await withHermes { hermes in
            let registration = service(hermes.url)
            let token = try await withServices([registration]) { _ in
                await eventually("a heartbeat") { !heartbeatsAccepted(hermes).isEmpty }
                return hermes.entry(id: "harmonia")?.token
            }
            let unregister = try #require(hermes.requests("/api/unregister").last)
            #expect(unregister.method == "POST")
            #expect(unregister.query == "component_id=harmonia")
            #expect(unregister.token == token)
            #expect(unregister.status == 200)
            #expect(hermes.entries.isEmpty)
            #expect(!registration.isRegistered)
        }
    }

    @Test func backsOffWhileHermesIsDownThenRegistersWhenItComesUp() async throws {
        let port = try await HermesDouble.unusedPort()
        let hermes = HermesDouble()
        let registration = service("http://127.0.0.1:\(port)")
        try await withServices([registration]) { _ in
            let started = ContinuousClock.now
            await eventually("four failed attempts") { registration.status.failures >= 4 }
            // 20 + 40 + 80 ms of backoff (less 10 % jitter) separate the first and the fourth attempt.
            #expect(ContinuousClock.now - started >= .milliseconds(120))
            #expect(!registration.isRegistered)
            #expect(registration.status.lastError?.contains("cannot reach Hermes") == true)
            try await hermes.start(port: port)
            await eventually("registered once Hermes is up") { registration.isRegistered }
            #expect(hermes.entry(id: "harmonia") != nil)
        }
        await hermes.stop()
    }

    @Test func neitherStartNorShutdownWaitsForAnUnreachableHermes() async throws {
        let port = try await HermesDouble.unusedPort()
        // An hour's backoff: the loop is asleep between attempts when shutdown comes, so a
        // shutdown that waited for it could not end within the bound below.
        let registration = service("http://127.0.0.1:\(port)", initialBackoff: .seconds(3600), maxBackoff: .seconds(3600))
        let started = ContinuousClock.now
        let marker = MarkerService()
        try await withServices([registration, marker]) { _ in
            await eventually("the other service started") { marker.started }
            await eventually("the first attempt failed") { registration.status.failures >= 1 }
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(!registration.isRegistered)
    }
}

/// A service that only records that it ran, standing in for the HTTP server.
final class MarkerService: Service, Sendable {
    private let flag = Mutex(false)
    var started: Bool { flag.withLock { $0 } }

    func run() async throws {
        flag.withLock { $0 = true }
        try? await gracefulShutdown()
    }
}
