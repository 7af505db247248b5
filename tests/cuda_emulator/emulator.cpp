// A host emulation of the CUDA runtime and cuBLAS calls that the backend makes, strict where a GPU is strict:
// device memory comes back filled with NaN bytes (cudaMalloc does not clear it) and is bounds-checked on every copy,
// kernel and product; what CUDA refuses while a stream is captured (allocation, synchronous copies, waiting, a fork
// not joined back) fails and invalidates the capture; cuBLAS checks its leading dimensions and reads alpha and beta
// at the call. Work runs as late as CUDA allows: a created stream's only when the host waits for it (the stream, an
// event recorded on it, the device, or a cudaFree) or another stream waits for an event on it, so that work read or
// overwritten without waiting shows as stale data; the legacy stream's when issued, since it does not wait for the
// backend's non-blocking streams either. A captured graph keeps its streams' dependencies and replays its nodes, on
// memory as it is at launch, in an order a GPU may choose: one that puts other streams' work as late as allowed, or
// a random one, so that a missing fork or join between streams changes the results. A failed call leaves its error
// for cudaGetLastError, as CUDA does; tests can make a chosen kernel launch fail (fail_launch). cuBLAS forgets a
// handle's workspace when its stream is set, as NVIDIA documents, and a product captured without one is refused.
#include "emulator.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cublas_v2.h"

namespace {
// A unit of captured work and the nodes it waits for (all captured before it).
struct Node {
  std::function<void()> work;
  std::vector<size_t> deps;
};
// A stream capture: its graph so far, the stream that began it, and the streams that joined it through events.
struct Capture {
  std::vector<Node> nodes;
  CUstream_st* origin = nullptr;
  std::vector<CUstream_st*> members;
  bool invalidated = false;  // something refused during the capture: ending it fails
  uint64_t id = 0;
};
uint64_t captures_begun = 0;
}  // namespace

struct CUstream_st {
  Capture* capture = nullptr;                 // the capture this stream is part of, if any
  std::vector<size_t> frontier;               // in it: the nodes the stream's next work waits for
  std::deque<std::function<void()>> pending;  // issued, not yet run
  uint64_t issued = 0, done = 0;              // work items ever issued and run
};
struct CUevent_st {
  CUstream_st* stream = nullptr;  // where it was last recorded: that stream's first `until` items mark it complete
  uint64_t until = 0;
  uint64_t capture = 0;  // or, recorded in a capture: its id, and the nodes the event stands for
  std::vector<size_t> frontier;
};
struct CUgraph_st {
  std::vector<Node> nodes;
};
struct CUgraphExec_st {
  std::shared_ptr<const std::vector<Node>> nodes;
};
struct cublasContext {
  cudaStream_t stream = nullptr;
  cublasMath_t math = CUBLAS_DEFAULT_MATH;
  bool own_workspace = false;  // cublasSetWorkspace since the last cublasSetStream
};

namespace {

std::map<uintptr_t, size_t>& allocations() {  // live device memory: start -> bytes
  static std::map<uintptr_t, size_t> live;
  return live;
}

thread_local Capture* capturing = nullptr;       // the capture this thread began, if any
thread_local cudaError_t last_error = cudaSuccess;  // what cudaGetLastError returns (and clears)
std::set<CUstream_st*> streams;                  // the live created streams

// Runs a stream's pending work until `count` items have run.
void run_until(CUstream_st* stream, uint64_t count) {
  while (stream->done < count && !stream->pending.empty()) {
    std::function<void()> work = std::move(stream->pending.front());
    stream->pending.pop_front();
    ++stream->done;
    work();
  }
}
void run_all(CUstream_st* stream) { run_until(stream, stream->issued); }
void run_every_stream() {
  for (CUstream_st* stream : streams) run_all(stream);
}
gan::cuda::emulator::Counts counted;
int64_t launches_until_failure = -1;  // fail_launch: launches to let through before one fails (-1: none fails)

// A runtime call's result, kept for cudaGetLastError when it is an error, as the CUDA runtime keeps it.
cudaError_t recorded(cudaError_t e) {
  if (e != cudaSuccess) last_error = e;
  return e;
}

// What CUDA refuses while this thread captures a stream; the capture is then invalidated.
bool refused_in_capture() {
  if (!capturing) return false;
  capturing->invalidated = true;
  return true;
}

bool is_device(const void* p, size_t bytes) {
  if (bytes == 0) return true;  // nothing is touched
  const auto a = reinterpret_cast<uintptr_t>(p);
  auto it = allocations().upper_bound(a);
  if (it == allocations().begin()) return false;
  --it;
  return a >= it->first && a + bytes <= it->first + it->second;
}

}  // namespace

namespace gan::cuda::emulator {

void enqueue(cudaStream_t stream, std::function<void()> work) {
  if (!stream) {
    work();  // the legacy stream
  } else if (Capture* c = stream->capture) {
    c->nodes.push_back(Node{std::move(work), std::move(stream->frontier)});
    stream->frontier = {c->nodes.size() - 1};
  } else {
    stream->pending.push_back(std::move(work));
    ++stream->issued;
  }
}

void launch(cudaStream_t stream, std::function<void()> work) {
  ++counted.launches;
  if (launches_until_failure >= 0 && launches_until_failure-- == 0) {
    last_error = cudaErrorLaunchOutOfResources;  // the kernel does not run
    if (stream && stream->capture) stream->capture->invalidated = true;
    return;
  }
  enqueue(stream, std::move(work));
}

void fail_launch(int64_t after) { launches_until_failure = after; }

const Counts& counts() { return counted; }
void reset_counts() { counted = Counts{}; }

void require_device(const void* p, size_t bytes, const char* what) {
  if (!is_device(p, bytes))
    throw std::logic_error(std::string("emulated GPU: ") + what + ": " + std::to_string(bytes) +
                           " bytes at this address are not inside one device allocation");
}

}  // namespace gan::cuda::emulator

using gan::cuda::emulator::require_device;

cudaError_t cudaGetDeviceCount(int* count) {
  *count = 1;
  return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (device != 0) return recorded(cudaErrorInvalidValue);
  std::memset(prop, 0, sizeof *prop);
  std::strncpy(prop->name, "host emulation (tests/cuda_emulator)", sizeof prop->name - 1);
  prop->totalGlobalMem = size_t{8} << 30;
  prop->major = 9;
  return cudaSuccess;
}

cudaError_t cudaGetLastError() { return std::exchange(last_error, cudaSuccess); }

const char* cudaGetErrorString(cudaError_t error) {
  switch (error) {
    case cudaSuccess:
      return "no error";
    case cudaErrorInvalidValue:
      return "invalid argument";
    case cudaErrorMemoryAllocation:
      return "out of memory";
    case cudaErrorInsufficientDriver:
      return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorNoDevice:
      return "no CUDA-capable device is detected";
    case cudaErrorLaunchOutOfResources:
      return "too many resources requested for launch";
    case cudaErrorIllegalState:
      return "the operation is not permitted in the current state";
    case cudaErrorStreamCaptureUnsupported:
      return "operation not permitted when stream is capturing";
    case cudaErrorStreamCaptureInvalidated:
      return "operation failed due to a previous error during capture";
    case cudaErrorStreamCaptureUnjoined:
      return "capture sequence contains a fork that was not joined to the primary stream";
    case cudaErrorStreamCaptureIsolation:
      return "dependency created on uncaptured work in another stream";
  }
  return "unknown error";
}

cudaError_t cudaMalloc(void** p, size_t bytes) {
  if (refused_in_capture()) return recorded(cudaErrorStreamCaptureUnsupported);
  ++counted.allocations;
  *p = nullptr;
  if (bytes == 0) return cudaSuccess;
  const size_t rounded = (bytes + 255) / 256 * 256;
  void* memory = std::aligned_alloc(256, rounded);
  if (!memory) return recorded(cudaErrorMemoryAllocation);
  std::memset(memory, 0xFF, rounded);  // NaN as floats, -1 as integers: a read before a write shows
  allocations()[reinterpret_cast<uintptr_t>(memory)] = bytes;
  *p = memory;
  return cudaSuccess;
}

cudaError_t cudaFree(void* p) {
  if (refused_in_capture()) return recorded(cudaErrorStreamCaptureUnsupported);
  if (!p) return cudaSuccess;
  run_every_stream();  // cudaFree waits for the device
  if (allocations().erase(reinterpret_cast<uintptr_t>(p)) != 1) return recorded(cudaErrorInvalidValue);
  std::free(p);
  return cudaSuccess;
}

cudaError_t cudaMallocHost(void** p, size_t bytes) {
  if (refused_in_capture()) return recorded(cudaErrorStreamCaptureUnsupported);
  ++counted.allocations;
  *p = std::malloc(bytes > 0 ? bytes : 1);
  return *p ? cudaSuccess : recorded(cudaErrorMemoryAllocation);
}

cudaError_t cudaFreeHost(void* p) {
  if (refused_in_capture()) return recorded(cudaErrorStreamCaptureUnsupported);
  run_every_stream();
  std::free(p);
  return cudaSuccess;
}

namespace {
// Both ends of a copy of its kind, checked when it is issued, and the copy counted.
cudaError_t check_copy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
  (kind == cudaMemcpyHostToDevice   ? counted.to_device
   : kind == cudaMemcpyDeviceToHost ? counted.to_host
                                    : counted.on_device)++;
  if (kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice)
    require_device(dst, bytes, "copy destination");
  if (kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice) require_device(src, bytes, "copy source");
  if (kind == cudaMemcpyHostToHost || kind == cudaMemcpyDefault)
    return cudaErrorInvalidValue;  // the backend never does (the callers record it)
  return cudaSuccess;
}
}  // namespace

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
  if (refused_in_capture()) return recorded(cudaErrorStreamCaptureUnsupported);
  if (const cudaError_t e = check_copy(dst, src, bytes, kind); e != cudaSuccess) return recorded(e);
  std::memcpy(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream) {
  if (const cudaError_t e = check_copy(dst, src, bytes, kind); e != cudaSuccess) return recorded(e);
  gan::cuda::emulator::enqueue(stream, [=] { std::memcpy(dst, src, bytes); });
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
  ++counted.waits;
  if (refused_in_capture()) return recorded(cudaErrorStreamCaptureUnsupported);
  run_every_stream();
  return cudaSuccess;
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned) {
  *stream = new CUstream_st;
  streams.insert(*stream);
  return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  if (stream && stream->capture) return recorded(cudaErrorIllegalState);
  if (stream) run_all(stream);  // work issued before the destroy still completes
  streams.erase(stream);
  delete stream;
  return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  ++counted.waits;
  if (stream && stream->capture) {
    stream->capture->invalidated = true;
    return recorded(cudaErrorStreamCaptureUnsupported);
  }
  if (stream) run_all(stream);
  return cudaSuccess;
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned) {
  *event = new CUevent_st;
  return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  delete event;
  return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  if (!event) return recorded(cudaErrorInvalidValue);
  *event = CUevent_st{};
  if (stream && stream->capture) {  // a point in the graph: what a stream that waits for it will depend on
    event->capture = stream->capture->id;
    event->frontier = stream->frontier;
  } else {
    event->stream = stream;
    event->until = stream ? stream->issued : 0;
  }
  return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  if (!event) return recorded(cudaErrorInvalidValue);
  ++counted.waits;
  if (refused_in_capture()) return recorded(cudaErrorStreamCaptureUnsupported);
  if (event->capture) return recorded(cudaErrorStreamCaptureIsolation);  // a captured event never completes on the host
  if (event->stream && streams.count(event->stream)) run_until(event->stream, event->until);
  return cudaSuccess;
}

cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned) {
  if (!stream || !event) return recorded(cudaErrorInvalidValue);  // the backend never makes the legacy stream wait
  if (event->capture) {
    // An event of a live capture: the stream joins that capture (if it is not in it yet) after the event's nodes.
    Capture* c = capturing && capturing->id == event->capture ? capturing : nullptr;
    if (!c || (stream->capture && stream->capture != c)) {
      if (stream->capture) stream->capture->invalidated = true;
      return recorded(cudaErrorStreamCaptureIsolation);
    }
    if (!stream->capture) {
      stream->capture = c;
      c->members.push_back(stream);
      stream->frontier.clear();
    }
    for (size_t node : event->frontier)
      if (std::find(stream->frontier.begin(), stream->frontier.end(), node) == stream->frontier.end())
        stream->frontier.push_back(node);
    return cudaSuccess;
  }
  if (stream->capture) {  // a captured stream cannot wait for work outside the capture
    stream->capture->invalidated = true;
    return recorded(cudaErrorStreamCaptureIsolation);
  }
  // Runs, when the stream reaches it, the recorded stream's work up to the event: that work runs as late as allowed.
  CUstream_st* other = event->stream;
  const uint64_t until = event->until;
  if (other && other != stream)
    gan::cuda::emulator::enqueue(stream, [other, until] {
      if (streams.count(other)) run_until(other, until);
    });
  return cudaSuccess;
}

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode) {
  if (!stream) return recorded(cudaErrorStreamCaptureUnsupported);  // the legacy stream cannot be captured
  if (stream->capture || capturing) return recorded(cudaErrorIllegalState);
  capturing = new Capture;
  capturing->origin = stream;
  capturing->members = {stream};
  capturing->id = ++captures_begun;
  stream->capture = capturing;
  stream->frontier.clear();
  return cudaSuccess;
}

namespace {

// The nodes on the longest chain of dependencies (a node's dependencies come before it).
size_t longest_chain(const std::vector<Node>& nodes) {
  std::vector<size_t> depth(nodes.size(), 1);
  size_t longest = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (size_t d : nodes[i].deps) depth[i] = std::max(depth[i], depth[d] + 1);
    longest = std::max(longest, depth[i]);
  }
  return longest;
}

// Whether every node is the origin stream's last work or comes before it: whether every stream that joined the
// capture was joined back into its origin.
bool all_joined(const std::vector<Node>& nodes, const std::vector<size_t>& origin_frontier) {
  std::vector<bool> reached(nodes.size(), false);
  for (size_t node : origin_frontier) reached[node] = true;
  for (size_t i = nodes.size(); i-- > 0;)
    if (reached[i])
      for (size_t d : nodes[i].deps) reached[d] = true;
  return std::find(reached.begin(), reached.end(), false) == reached.end();
}

// An order in which a GPU may run a graph's nodes: any that respects the dependencies. Even launches run the newest
// ready node first (a side stream's work as late as allowed), odd launches a random ready node, so that a missing
// dependency between two streams' work changes what a launch computes.
std::vector<size_t> launch_order(const std::vector<Node>& nodes, uint64_t launch) {
  std::vector<size_t> waiting(nodes.size(), 0), ready, order;
  std::vector<std::vector<size_t>> dependents(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    waiting[i] = nodes[i].deps.size();
    for (size_t d : nodes[i].deps) dependents[d].push_back(i);
    if (waiting[i] == 0) ready.push_back(i);
  }
  std::mt19937_64 random(launch);
  while (!ready.empty()) {
    size_t pick = 0;
    if (launch % 2 == 0)
      pick = static_cast<size_t>(std::max_element(ready.begin(), ready.end()) - ready.begin());
    else
      pick = std::uniform_int_distribution<size_t>(0, ready.size() - 1)(random);
    const size_t node = ready[pick];
    ready.erase(ready.begin() + static_cast<std::ptrdiff_t>(pick));
    order.push_back(node);
    for (size_t next : dependents[node])
      if (--waiting[next] == 0) ready.push_back(next);
  }
  return order;
}

uint64_t launches = 0;

}  // namespace

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph) {
  *graph = nullptr;
  if (!stream || !stream->capture || stream->capture->origin != stream) return recorded(cudaErrorIllegalState);
  std::unique_ptr<Capture> c(stream->capture);
  const std::vector<size_t> origin_frontier = std::move(stream->frontier);
  for (CUstream_st* member : c->members) {
    member->capture = nullptr;
    member->frontier.clear();
  }
  if (capturing == c.get()) capturing = nullptr;
  if (c->invalidated) return recorded(cudaErrorStreamCaptureInvalidated);
  if (!all_joined(c->nodes, origin_frontier)) return recorded(cudaErrorStreamCaptureUnjoined);
  counted.graph_nodes += c->nodes.size();
  counted.graph_depth = longest_chain(c->nodes);
  *graph = new CUgraph_st{std::move(c->nodes)};
  return cudaSuccess;
}

cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long) {
  if (!graph) return recorded(cudaErrorInvalidValue);
  *exec = new CUgraphExec_st{std::make_shared<const std::vector<Node>>(graph->nodes)};
  return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream) {
  if (!exec) return recorded(cudaErrorInvalidValue);
  ++counted.graph_launches;
  gan::cuda::emulator::enqueue(stream, [nodes = exec->nodes, launch = launches++] {
    for (size_t node : launch_order(*nodes, launch)) (*nodes)[node].work();
  });
  return cudaSuccess;
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
  delete graph;
  return cudaSuccess;
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec) {
  delete exec;
  return cudaSuccess;
}

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
  *handle = new cublasContext;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
  delete handle;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  handle->stream = stream;
  handle->own_workspace = false;  // "unconditionally resets the cuBLAS library workspace back to the default pool"
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (mode != CUBLAS_DEFAULT_MATH && mode != CUBLAS_TF32_TENSOR_OP_MATH) return CUBLAS_STATUS_INVALID_VALUE;
  handle->math = mode;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetWorkspace(cublasHandle_t handle, void* workspace, size_t bytes) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  require_device(workspace, bytes, "cuBLAS workspace");
  if (reinterpret_cast<uintptr_t>(workspace) % 256 != 0) return CUBLAS_STATUS_INVALID_VALUE;  // cuBLAS needs 256
  handle->own_workspace = true;
  return CUBLAS_STATUS_SUCCESS;
}

namespace {

using ConstColumnMajor = Eigen::Map<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>;

// The floats that a column-major [rows, cols] matrix with leading dimension ld spans.
size_t span(int rows, int cols, int ld) { return rows == 0 || cols == 0 ? 0 : size_t(ld) * (cols - 1) + rows; }

Eigen::MatrixXf op(const float* p, int rows, int cols, int ld, bool transpose) {
  const ConstColumnMajor m(p, rows, cols, Eigen::OuterStride<>(ld));
  return transpose ? Eigen::MatrixXf(m.transpose()) : Eigen::MatrixXf(m);
}

// x rounded to TF32 (8 exponent bits, 10 mantissa bits; to nearest, ties away from zero), what tensor cores
// multiply in CUBLAS_TF32_TENSOR_OP_MATH. Infinities and NaNs pass through.
float to_tf32(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if ((bits & 0x7f800000u) == 0x7f800000u) return x;
  bits = (bits + 0x1000u) & ~0x1fffu;
  std::memcpy(&x, &bits, sizeof bits);
  return x;
}

}  // namespace

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const float* alpha, const float* A, int lda, const float* B, int ldb,
                           const float* beta, float* C, int ldc) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  const bool ta = transa == CUBLAS_OP_T, tb = transb == CUBLAS_OP_T;
  // A is stored [m, k] (or [k, m] transposed), B [k, n] (or [n, k]), C [m, n].
  const int a_rows = ta ? k : m, a_cols = ta ? m : k, b_rows = tb ? n : k, b_cols = tb ? k : n;
  if (m < 0 || n < 0 || k < 0 || lda < std::max(1, a_rows) || ldb < std::max(1, b_rows) || ldc < std::max(1, m))
    return CUBLAS_STATUS_INVALID_VALUE;
  require_device(A, sizeof(float) * span(a_rows, a_cols, lda), "SGEMM A");
  require_device(B, sizeof(float) * span(b_rows, b_cols, ldb), "SGEMM B");
  require_device(C, sizeof(float) * span(m, n, ldc), "SGEMM C");
  // Without a workspace of its own the handle uses cuBLAS's default pool, which may allocate: not in a capture.
  if (handle->stream && handle->stream->capture && !handle->own_workspace) {
    handle->stream->capture->invalidated = true;
    return CUBLAS_STATUS_ALLOC_FAILED;
  }
  const float a = *alpha, b = *beta;
  const bool tf32 = handle->math == CUBLAS_TF32_TENSOR_OP_MATH;
  gan::cuda::emulator::enqueue(handle->stream, [=] {
    Eigen::Map<Eigen::MatrixXf, 0, Eigen::OuterStride<>> c(C, m, n, Eigen::OuterStride<>(ldc));
    // The inner dimension reversed: the products are summed in another order than the CPU core's, as a GPU's are,
    // so that the tests' tolerances meet real rounding differences here already.
    Eigen::MatrixXf a_reversed = op(A, a_rows, a_cols, lda, ta).rowwise().reverse();
    Eigen::MatrixXf b_reversed = op(B, b_rows, b_cols, ldb, tb).colwise().reverse();
    if (tf32) {
      a_reversed = a_reversed.unaryExpr(&to_tf32);
      b_reversed = b_reversed.unaryExpr(&to_tf32);
    }
    const Eigen::MatrixXf product = a_reversed * b_reversed;
    if (b == 0.0f)
      c = a * product;  // beta 0: C is not read (it may hold anything)
    else
      c = a * product + b * c;
  });
  return CUBLAS_STATUS_SUCCESS;
}

const char* cublasGetStatusString(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS:
      return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED:
      return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED:
      return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE:
      return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "CUBLAS_STATUS_EXECUTION_FAILED";
  }
  return "unknown cuBLAS status";
}
