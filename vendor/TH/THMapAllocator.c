/* THMapAllocator: storages backed by a memory-mapped file or shared memory object.
 *
 * The allocator owns its context from the malloc call on: free() releases it, and so does a
 * malloc that fails, since the caller (THStorage_newWithMapping) has no way to after an error.
 * A context given a descriptor (newWithFd) owns that descriptor too. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "THAllocator.h"

struct THMapAllocatorContext_ {
  int flags;
  int fd;         /* -1 when none is held */
  ptrdiff_t size; /* bytes mapped */
  char filename[]; /* allocated with the struct: one allocation, nothing to leak */
};

/* The refcounted allocator keeps a reference count in front of the data, in the mapping itself,
 * so that processes sharing the object can tell which one is the last. */
#define TH_MAP_HEADER 64 /* keeps the data 64-byte aligned */

THMapAllocatorContext *THMapAllocatorContext_new(const char *filename, int flags)
{
  const int shared = TH_ALLOCATOR_MAPPED_SHARED | TH_ALLOCATOR_MAPPED_SHAREDMEM;
  THArgCheck((flags & shared) != shared, 2, "SHARED and SHAREDMEM are exclusive");
  THArgCheck(!(flags & TH_ALLOCATOR_MAPPED_EXCLUSIVE) || (flags & shared), 2,
             "TH_ALLOCATOR_MAPPED_EXCLUSIVE requires opening the file in shared mode");
  /* a read-only open never creates */
  if (!(flags & shared)) flags &= ~TH_ALLOCATOR_MAPPED_NOCREATE;
  if (!filename) filename = "";

  size_t len = strlen(filename);
  THMapAllocatorContext *ctx = THAlloc((ptrdiff_t)(sizeof *ctx + len + 1));
  memcpy(ctx->filename, filename, len + 1);
  ctx->flags = flags;
  ctx->fd = -1;
  ctx->size = 0;
  return ctx;
}

THMapAllocatorContext *THMapAllocatorContext_newWithFd(const char *filename, int fd, int flags)
{
  THArgCheck(fd >= 0, 2, "invalid file descriptor %d", fd);
  THMapAllocatorContext *ctx =
      THMapAllocatorContext_new(filename, flags | TH_ALLOCATOR_MAPPED_FROMFD);
  ctx->fd = fd;
  return ctx;
}

char *THMapAllocatorContext_filename(THMapAllocatorContext *ctx)
{
  return ctx->filename;
}

int THMapAllocatorContext_fd(THMapAllocatorContext *ctx)
{
  return ctx->fd;
}

ptrdiff_t THMapAllocatorContext_size(THMapAllocatorContext *ctx)
{
  return ctx->size;
}

void THMapAllocatorContext_free(THMapAllocatorContext *ctx)
{
  if (!ctx) return;
  if (ctx->fd != -1) close(ctx->fd);
  THFree(ctx);
}

/* Releases what the failed mapping holds, the context included, then raises. */
static void __attribute__((noreturn)) map_fail(THMapAllocatorContext *ctx, const char *what)
{
  int err = errno;
  char name[256];
  snprintf(name, sizeof name, "%s", ctx->filename);
  THMapAllocatorContext_free(ctx);
  if (err == ENOENT) THNotFoundError("%s <%s>: %s", what, name, strerror(err));
  THIOError("%s <%s>: %s", what, name, strerror(err));
}

static int open_fd(THMapAllocatorContext *ctx)
{
  int oflags = O_RDONLY;
  if (ctx->flags & (TH_ALLOCATOR_MAPPED_SHARED | TH_ALLOCATOR_MAPPED_SHAREDMEM)) {
    oflags = O_RDWR | O_CREAT;
    if (ctx->flags & TH_ALLOCATOR_MAPPED_EXCLUSIVE) oflags |= O_EXCL;
    if (ctx->flags & TH_ALLOCATOR_MAPPED_NOCREATE) oflags &= ~O_CREAT;
  }
  if (ctx->flags & TH_ALLOCATOR_MAPPED_SHAREDMEM) return shm_open(ctx->filename, oflags, 0600);
  return open(ctx->filename, oflags | O_CLOEXEC, 0600);
}

/* Maps size bytes of the file (all of it when size is 0), growing it in shared modes. */
static void *map_alloc(THMapAllocatorContext *ctx, ptrdiff_t size)
{
  int shared = (ctx->flags & (TH_ALLOCATOR_MAPPED_SHARED | TH_ALLOCATOR_MAPPED_SHAREDMEM)) != 0;
  if (size < 0) {
    errno = EINVAL;
    map_fail(ctx, "negative mapping size for");
  }
  if (!(ctx->flags & TH_ALLOCATOR_MAPPED_FROMFD)) {
    ctx->fd = open_fd(ctx);
    if (ctx->fd == -1)
      map_fail(ctx, shared ? "unable to open in read-write mode" : "unable to open");
  }

  struct stat st;
  if (fstat(ctx->fd, &st) == -1) map_fail(ctx, "unable to stat");
  if (size == 0) {
    size = (ptrdiff_t)st.st_size;
  } else if (size > st.st_size) {
    if (!shared) {
      errno = EINVAL;
      map_fail(ctx, "file is smaller than the requested mapping size:");
    }
    if (ftruncate(ctx->fd, size) == -1) map_fail(ctx, "unable to resize");
  }
  ctx->size = size;

  void *data = NULL;
  if (size > 0) { /* mmap refuses a length of 0 */
    /* read-only files are mapped copy-on-write: the storage may be written, the file is not */
    data = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE,
                ctx->fd, 0);
    if (data == MAP_FAILED) map_fail(ctx, "unable to mmap");
  }

  if (!(ctx->flags & TH_ALLOCATOR_MAPPED_KEEPFD)) {
    close(ctx->fd);
    ctx->fd = -1;
  }
  if (ctx->flags & TH_ALLOCATOR_MAPPED_UNLINK) {
    int rc = (ctx->flags & TH_ALLOCATOR_MAPPED_SHAREDMEM) ? shm_unlink(ctx->filename)
                                                         : unlink(ctx->filename);
    if (rc == -1) {
      if (data) munmap(data, (size_t)size);
      map_fail(ctx, "unable to unlink");
    }
  }
  return data;
}

static void *mapAllocator_malloc(void *ctx, ptrdiff_t size)
{
  return map_alloc(ctx, size);
}

/* A mapping has the size of its file: both allocators refuse to resize. */
static void *map_realloc(void *ctx, void *ptr, ptrdiff_t size)
{
  (void)ctx;
  (void)ptr;
  (void)size;
  THError("cannot realloc mapped data");
}

static void mapAllocator_free(void *ctx_, void *data)
{
  THMapAllocatorContext *ctx = ctx_;
  if (data) munmap(data, (size_t)ctx->size);
  /* a shared memory object we created and did not unlink yet goes with its last mapping */
  if ((ctx->flags & TH_ALLOCATOR_MAPPED_SHAREDMEM) &&
      !(ctx->flags & (TH_ALLOCATOR_MAPPED_FROMFD | TH_ALLOCATOR_MAPPED_UNLINK)))
    shm_unlink(ctx->filename);
  THMapAllocatorContext_free(ctx);
}

THAllocator THMapAllocator = {mapAllocator_malloc, map_realloc, mapAllocator_free};

/* ---- refcounted: shared memory with a reference count in the mapping ------------------- */

static void *refcounted_malloc(void *ctx_, ptrdiff_t size)
{
  THMapAllocatorContext *ctx = ctx_;
  const int unsupported =
      TH_ALLOCATOR_MAPPED_FROMFD | TH_ALLOCATOR_MAPPED_KEEPFD | TH_ALLOCATOR_MAPPED_UNLINK;
  const char *problem = NULL;
  if (ctx->flags & unsupported) problem = "does not support the FROMFD, KEEPFD and UNLINK flags";
  else if (!(ctx->flags & TH_ALLOCATOR_MAPPED_SHAREDMEM)) problem = "requires the SHAREDMEM flag";
  else if (size < 0 || size > PTRDIFF_MAX - TH_MAP_HEADER) problem = "got an invalid size";
  if (problem) {
    THMapAllocatorContext_free(ctx);
    THError("THRefcountedMapAllocator %s", problem);
  }

  char *base = map_alloc(ctx, size + TH_MAP_HEADER);
  int *refcount = (int *)base;
  if (ctx->flags & TH_ALLOCATOR_MAPPED_EXCLUSIVE) __atomic_store_n(refcount, 1, __ATOMIC_SEQ_CST);
  else __atomic_add_fetch(refcount, 1, __ATOMIC_SEQ_CST);
  return base + TH_MAP_HEADER;
}

static void refcounted_free(void *ctx_, void *data)
{
  THMapAllocatorContext *ctx = ctx_;
  if (data) {
    char *base = (char *)data - TH_MAP_HEADER;
    if (THRefcountedMapAllocator_decref(ctx, data)) shm_unlink(ctx->filename);
    munmap(base, (size_t)ctx->size);
  }
  THMapAllocatorContext_free(ctx);
}

THAllocator THRefcountedMapAllocator = {refcounted_malloc, map_realloc, refcounted_free};

void THRefcountedMapAllocator_incref(THMapAllocatorContext *ctx, void *data)
{
  (void)ctx;
  __atomic_add_fetch((int *)((char *)data - TH_MAP_HEADER), 1, __ATOMIC_SEQ_CST);
}

/* Returns 1 when this dropped the last reference. */
int THRefcountedMapAllocator_decref(THMapAllocatorContext *ctx, void *data)
{
  (void)ctx;
  return __atomic_sub_fetch((int *)((char *)data - TH_MAP_HEADER), 1, __ATOMIC_SEQ_CST) == 0;
}
