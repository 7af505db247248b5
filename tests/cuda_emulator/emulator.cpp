// A host emulation of the CUDA runtime and cuBLAS calls that the backend makes, strict where a GPU is strict:
// device memory comes back filled with NaN bytes (cudaMalloc does not clear it) and is bounds-checked on every copy,
// kernel and product; what CUDA refuses while a stream is captured (allocation, synchronous copies, waiting) fails
// and invalidates the capture; a captured graph replays its work reading memory as it is at launch; cuBLAS checks
// its leading dimensions and reads alpha and beta at the call. Work on a created stream runs as late as CUDA allows:
// only when the host waits for it (the stream, an event recorded on it, the device, or a cudaFree), so work that the
// host reads or overwrites without waiting shows as stale data; the legacy stream's work runs when issued, since it
// does not wait for the backend's non-blocking stream either.
#include "emulator.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cublas_v2.h"

struct CUstream_st {
  bool capturing = false;
  bool invalidated = false;  // something refused during the capture: ending it fails
  std::vector<std::function<void()>> captured;
  std::deque<std::function<void()>> pending;  // issued, not yet run
  uint64_t issued = 0, done = 0;              // work items ever issued and run
};
struct CUevent_st {
  CUstream_st* stream = nullptr;  // where it was last recorded: that stream's first `until` items mark it complete
  uint64_t until = 0;
};
struct CUgraph_st {
  std::vector<std::function<void()>> work;
};
struct CUgraphExec_st {
  std::vector<std::function<void()>> work;
};
struct cublasContext {
  cudaStream_t stream = nullptr;
};

namespace {

std::map<uintptr_t, size_t>& allocations() {  // live device memory: start -> bytes
  static std::map<uintptr_t, size_t> live;
  return live;
}

thread_local CUstream_st* capturing = nullptr;  // the stream this thread is capturing, if any
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
  } else if (stream->capturing) {
    stream->captured.push_back(std::move(work));
  } else {
    stream->pending.push_back(std::move(work));
    ++stream->issued;
  }
}

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
  if (device != 0) return cudaErrorInvalidValue;
  std::memset(prop, 0, sizeof *prop);
  std::strncpy(prop->name, "host emulation (tests/cuda_emulator)", sizeof prop->name - 1);
  prop->totalGlobalMem = size_t{8} << 30;
  prop->major = 9;
  return cudaSuccess;
}

cudaError_t cudaGetLastError() { return cudaSuccess; }  // the emulated kernels throw instead

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
    case cudaErrorIllegalState:
      return "the operation is not permitted in the current state";
    case cudaErrorStreamCaptureUnsupported:
      return "operation not permitted when stream is capturing";
    case cudaErrorStreamCaptureInvalidated:
      return "operation failed due to a previous error during capture";
  }
  return "unknown error";
}

cudaError_t cudaMalloc(void** p, size_t bytes) {
  if (refused_in_capture()) return cudaErrorStreamCaptureUnsupported;
  ++counted.allocations;
  *p = nullptr;
  if (bytes == 0) return cudaSuccess;
  const size_t rounded = (bytes + 255) / 256 * 256;
  void* memory = std::aligned_alloc(256, rounded);
  if (!memory) return cudaErrorMemoryAllocation;
  std::memset(memory, 0xFF, rounded);  // NaN as floats, -1 as integers: a read before a write shows
  allocations()[reinterpret_cast<uintptr_t>(memory)] = bytes;
  *p = memory;
  return cudaSuccess;
}

cudaError_t cudaFree(void* p) {
  if (refused_in_capture()) return cudaErrorStreamCaptureUnsupported;
  if (!p) return cudaSuccess;
  run_every_stream();  // cudaFree waits for the device
  if (allocations().erase(reinterpret_cast<uintptr_t>(p)) != 1) return cudaErrorInvalidValue;
  std::free(p);
  return cudaSuccess;
}

cudaError_t cudaMallocHost(void** p, size_t bytes) {
  if (refused_in_capture()) return cudaErrorStreamCaptureUnsupported;
  ++counted.allocations;
  *p = std::malloc(bytes > 0 ? bytes : 1);
  return *p ? cudaSuccess : cudaErrorMemoryAllocation;
}

cudaError_t cudaFreeHost(void* p) {
  if (refused_in_capture()) return cudaErrorStreamCaptureUnsupported;
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
    return cudaErrorInvalidValue;  // the backend never does
  return cudaSuccess;
}
}  // namespace

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
  if (refused_in_capture()) return cudaErrorStreamCaptureUnsupported;
  if (const cudaError_t e = check_copy(dst, src, bytes, kind); e != cudaSuccess) return e;
  std::memcpy(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream) {
  if (const cudaError_t e = check_copy(dst, src, bytes, kind); e != cudaSuccess) return e;
  gan::cuda::emulator::enqueue(stream, [=] { std::memcpy(dst, src, bytes); });
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
  ++counted.waits;
  if (refused_in_capture()) return cudaErrorStreamCaptureUnsupported;
  run_every_stream();
  return cudaSuccess;
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned) {
  *stream = new CUstream_st;
  streams.insert(*stream);
  return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  if (stream && stream->capturing) return cudaErrorIllegalState;
  if (stream) run_all(stream);  // work issued before the destroy still completes
  streams.erase(stream);
  delete stream;
  return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  ++counted.waits;
  if (stream && stream->capturing) {
    stream->invalidated = true;
    return cudaErrorStreamCaptureUnsupported;
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
  if (!event) return cudaErrorInvalidValue;
  if (stream && stream->capturing) return cudaSuccess;  // a node in the graph: nothing to wait for on the host
  event->stream = stream;
  event->until = stream ? stream->issued : 0;
  return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  if (!event) return cudaErrorInvalidValue;
  ++counted.waits;
  if (refused_in_capture()) return cudaErrorStreamCaptureUnsupported;
  if (event->stream && streams.count(event->stream)) run_until(event->stream, event->until);
  return cudaSuccess;
}

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode) {
  if (!stream) return cudaErrorStreamCaptureUnsupported;  // the legacy stream cannot be captured
  if (stream->capturing || capturing) return cudaErrorIllegalState;
  stream->capturing = true;
  stream->invalidated = false;
  stream->captured.clear();
  capturing = stream;
  return cudaSuccess;
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph) {
  *graph = nullptr;
  if (!stream || !stream->capturing) return cudaErrorIllegalState;
  stream->capturing = false;
  capturing = nullptr;
  std::vector<std::function<void()>> work = std::move(stream->captured);
  stream->captured.clear();
  if (stream->invalidated) return cudaErrorStreamCaptureInvalidated;
  counted.graph_nodes += work.size();
  *graph = new CUgraph_st{std::move(work)};
  return cudaSuccess;
}

cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long) {
  if (!graph) return cudaErrorInvalidValue;
  *exec = new CUgraphExec_st{graph->work};
  return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream) {
  if (!exec) return cudaErrorInvalidValue;
  ++counted.graph_launches;
  for (const auto& work : exec->work) gan::cuda::emulator::enqueue(stream, work);
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
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t) {
  return handle ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_NOT_INITIALIZED;
}

cublasStatus_t cublasSetWorkspace(cublasHandle_t handle, void* workspace, size_t bytes) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  require_device(workspace, bytes, "cuBLAS workspace");
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
  const float a = *alpha, b = *beta;
  gan::cuda::emulator::enqueue(handle->stream, [=] {
    Eigen::Map<Eigen::MatrixXf, 0, Eigen::OuterStride<>> c(C, m, n, Eigen::OuterStride<>(ldc));
    // The inner dimension reversed: the products are summed in another order than the CPU core's, as a GPU's are,
    // so that the tests' tolerances meet real rounding differences here already.
    const Eigen::MatrixXf a_reversed = op(A, a_rows, a_cols, lda, ta).rowwise().reverse();
    const Eigen::MatrixXf b_reversed = op(B, b_rows, b_cols, ldb, tb).colwise().reverse();
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
    case CUBLAS_STATUS_INVALID_VALUE:
      return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "CUBLAS_STATUS_EXECUTION_FAILED";
  }
  return "unknown cuBLAS status";
}
