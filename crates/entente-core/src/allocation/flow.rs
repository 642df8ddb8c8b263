//! Minimum-cost flow, exact, by the primal-dual method: shortest paths by Dijkstra over
//! reduced costs, then a maximum flow (Dinic) over the arcs on shortest paths, repeated
//! while a path of negative cost is left. It stops there rather than at the maximum flow:
//! it finds the flow of least cost, whatever its size, which is what a seat allocation
//! wants (a seat is worth giving only if it lowers the cost).
//!
//! The network must have no cycle of negative cost at the start (a seat network is
//! acyclic). When every arc's cost lies in a small range, as in a seat network whose costs
//! are minus the priority weights, the number of rounds is bounded by that range: a few
//! rounds, each a near-linear Dijkstra and a Dinic run.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// A capacity standing for "unlimited".
pub const UNLIMITED: i64 = i64::MAX / 4;

#[derive(Debug, Clone)]
struct Arc {
    to: usize,
    residual: i64,
    cost: i64,
}

/// A directed network with capacities and costs. Arc `2k` is the k-th arc added; `2k+1` is
/// its reverse, which carries its flow.
#[derive(Debug, Clone, Default)]
pub struct Network {
    arcs: Vec<Arc>,
    out: Vec<Vec<usize>>,
}

impl Network {
    /// A network of `nodes` nodes, numbered from 0, and no arcs.
    pub fn new(nodes: usize) -> Self {
        Self { arcs: Vec::new(), out: vec![Vec::new(); nodes] }
    }

    /// Adds a node; returns its number.
    pub fn add_node(&mut self) -> usize {
        self.out.push(Vec::new());
        self.out.len() - 1
    }

    /// Nodes in all.
    pub fn nodes(&self) -> usize {
        self.out.len()
    }

    /// Arcs added (not counting reverses).
    pub fn arcs(&self) -> usize {
        self.arcs.len() / 2
    }

    /// Adds an arc; returns its number, for [`Network::flow`].
    pub fn add_arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        let id = self.arcs.len();
        self.arcs.push(Arc { to, residual: capacity, cost });
        self.arcs.push(Arc { to: from, residual: 0, cost: -cost });
        self.out[from].push(id);
        self.out[to].push(id + 1);
        id / 2
    }

    /// The flow on arc `arc`.
    pub fn flow(&self, arc: usize) -> i64 {
        self.arcs[2 * arc + 1].residual
    }

    /// Sends the flow of least cost from `source` to `sink`; returns its cost.
    pub fn min_cost_flow(&mut self, source: usize, sink: usize) -> i64 {
        let mut potential = self.initial_potentials(source);
        let mut total = 0i64;
        loop {
            let dist = self.dijkstra(source, &potential);
            let Some(to_sink) = dist[sink] else { break };
            for (node, d) in dist.iter().enumerate() {
                // Unreached nodes move with the sink, which keeps every reduced cost >= 0.
                potential[node] += d.map_or(to_sink, |d| d.min(to_sink));
            }
            let path_cost = potential[sink] - potential[source];
            if path_cost >= 0 {
                break;
            }
            let sent = self.max_flow_on_shortest_paths(source, sink, &potential);
            if sent == 0 {
                break;
            }
            total += sent * path_cost;
        }
        total
    }

    /// Shortest distances from `source` over arcs with room, in an acyclic network: each
    /// node once, in topological order. Nodes it cannot reach keep 0 (no arc with room
    /// will ever lead to them).
    fn initial_potentials(&self, source: usize) -> Vec<i64> {
        let n = self.nodes();
        let mut indegree = vec![0usize; n];
        for arc in self.arcs.iter().filter(|a| a.residual > 0) {
            indegree[arc.to] += 1;
        }
        let mut queue: VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
        let mut dist: Vec<Option<i64>> = vec![None; n];
        dist[source] = Some(0);
        while let Some(v) = queue.pop_front() {
            for &a in &self.out[v] {
                let arc = &self.arcs[a];
                if arc.residual <= 0 {
                    continue;
                }
                if let Some(dv) = dist[v] {
                    let candidate = dv + arc.cost;
                    if dist[arc.to].is_none_or(|d| candidate < d) {
                        dist[arc.to] = Some(candidate);
                    }
                }
                indegree[arc.to] -= 1;
                if indegree[arc.to] == 0 {
                    queue.push_back(arc.to);
                }
            }
        }
        dist.into_iter().map(|d| d.unwrap_or(0)).collect()
    }

    /// Distances from `source` over reduced costs (all >= 0), or none for unreached nodes.
    fn dijkstra(&self, source: usize, potential: &[i64]) -> Vec<Option<i64>> {
        let mut dist: Vec<Option<i64>> = vec![None; self.nodes()];
        let mut done = vec![false; self.nodes()];
        let mut heap = BinaryHeap::new();
        dist[source] = Some(0);
        heap.push(Reverse((0i64, source)));
        while let Some(Reverse((d, v))) = heap.pop() {
            if done[v] {
                continue;
            }
            done[v] = true;
            for &a in &self.out[v] {
                let arc = &self.arcs[a];
                if arc.residual <= 0 {
                    continue;
                }
                let reduced = arc.cost + potential[v] - potential[arc.to];
                debug_assert!(reduced >= 0, "negative reduced cost {reduced}");
                let candidate = d + reduced;
                if dist[arc.to].is_none_or(|old| candidate < old) {
                    dist[arc.to] = Some(candidate);
                    heap.push(Reverse((candidate, arc.to)));
                }
            }
        }
        dist
    }

    /// Dinic's maximum flow over the arcs of reduced cost 0 (those on shortest paths).
    fn max_flow_on_shortest_paths(&mut self, source: usize, sink: usize, potential: &[i64]) -> i64 {
        let admissible = |arcs: &[Arc], from: usize, a: usize| {
            arcs[a].residual > 0 && arcs[a].cost + potential[from] - potential[arcs[a].to] == 0
        };
        let mut sent = 0;
        loop {
            // Levels by breadth-first search over admissible arcs.
            let mut level = vec![u32::MAX; self.nodes()];
            level[source] = 0;
            let mut queue = VecDeque::from([source]);
            while let Some(v) = queue.pop_front() {
                for &a in &self.out[v] {
                    let to = self.arcs[a].to;
                    if level[to] == u32::MAX && admissible(&self.arcs, v, a) {
                        level[to] = level[v] + 1;
                        queue.push_back(to);
                    }
                }
            }
            if level[sink] == u32::MAX {
                return sent;
            }
            let mut next_arc = vec![0usize; self.nodes()];
            sent += self.blocking_flow(source, sink, &level, &mut next_arc, potential);
        }
    }

    /// A blocking flow in the level graph, depth first without recursion: after each
    /// augmenting path it backs up only to the first arc the path saturated, so no prefix is
    /// walked again.
    fn blocking_flow(
        &mut self,
        source: usize,
        sink: usize,
        level: &[u32],
        next_arc: &mut [usize],
        potential: &[i64],
    ) -> i64 {
        let mut sent = 0;
        let mut path: Vec<usize> = Vec::new();
        let mut v = source;
        loop {
            if v == sink {
                let bottleneck = path.iter().map(|&a| self.arcs[a].residual).min().unwrap_or(0);
                for &a in &path {
                    self.arcs[a].residual -= bottleneck;
                    self.arcs[a ^ 1].residual += bottleneck;
                }
                sent += bottleneck;
                let first_full = path.iter().position(|&a| self.arcs[a].residual == 0).unwrap_or(0);
                path.truncate(first_full);
                v = path.last().map_or(source, |&a| self.arcs[a].to);
                continue;
            }
            let mut advanced = false;
            while next_arc[v] < self.out[v].len() {
                let a = self.out[v][next_arc[v]];
                let arc = &self.arcs[a];
                let reduced = arc.cost + potential[v] - potential[arc.to];
                if arc.residual > 0 && reduced == 0 && level[arc.to] == level[v] + 1 {
                    path.push(a);
                    v = arc.to;
                    advanced = true;
                    break;
                }
                next_arc[v] += 1;
            }
            if !advanced {
                // A dead end: retreat, and never try the arc that led here again.
                let Some(a) = path.pop() else { return sent };
                v = self.arcs[a ^ 1].to;
                next_arc[v] += 1;
            }
        }
    }
}
