// The MPI calls of the engine that the simulation takes over, bound into this library with
// -Bsymbolic: each message sent or received also charges its rank the calibrated per-message
// cost, and each probe or test the probe cost (charged_compute.hpp; SMPI's own smpi/iprobe and
// smpi/test costs are off, as it cannot charge ranks of many cores one core's worth).
//
// SimGrid 3.32 aborts on MPI_Improbe ("Not yet implemented"), which the engine's transport uses
// to take a message of unknown size. Here it is on MPI_Iprobe + MPI_Recv. Exact for the engine's use: one thread per rank receives on a
// communicator, so the MPI_Recv from the probed source and tag (MPI never lets messages of one
// source, tag and communicator overtake each other) takes the very message probed.
#include <mpi.h>

#include "charged_compute.hpp"

namespace {
struct Matched {
    int source;
    int tag;
    MPI_Comm comm;
};
}  // namespace

extern "C" int MPI_Improbe(int source, int tag, MPI_Comm comm, int* flag, MPI_Message* message, MPI_Status* status) {
    taskfarm::sim::pay_owed();
    MPI_Status local;
    MPI_Status* const seen = status == MPI_STATUS_IGNORE ? &local : status;
    *message = MPI_MESSAGE_NULL;
    taskfarm::sim::charge_probe();
    int const rc = PMPI_Iprobe(source, tag, comm, flag, seen);
    if (rc != MPI_SUCCESS || *flag == 0) return rc;
    *message = new Matched{seen->MPI_SOURCE, seen->MPI_TAG, comm};
    return MPI_SUCCESS;
}

extern "C" int MPI_Mrecv(void* buf, int count, MPI_Datatype type, MPI_Message* message, MPI_Status* status) {
    auto* const matched = static_cast<Matched*>(*message);
    if (matched == nullptr) return MPI_ERR_ARG;
    *message = MPI_MESSAGE_NULL;
    int const rc = MPI_Recv(buf, count, type, matched->source, matched->tag, matched->comm, status);
    delete matched;
    taskfarm::sim::charge_message();
    return rc;
}

extern "C" int MPI_Isend(void const* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm,
                         MPI_Request* request) {
    taskfarm::sim::pay_owed();
    taskfarm::sim::charge_message();
    return PMPI_Isend(buf, count, type, dest, tag, comm, request);
}

extern "C" int MPI_Iprobe(int source, int tag, MPI_Comm comm, int* flag, MPI_Status* status) {
    taskfarm::sim::pay_owed();
    taskfarm::sim::charge_probe();
    return PMPI_Iprobe(source, tag, comm, flag, status);
}

extern "C" int MPI_Test(MPI_Request* request, int* flag, MPI_Status* status) {
    taskfarm::sim::pay_owed();
    taskfarm::sim::charge_probe();
    return PMPI_Test(request, flag, status);
}

extern "C" int MPI_Testsome(int incount, MPI_Request requests[], int* outcount, int indices[], MPI_Status statuses[]) {
    taskfarm::sim::pay_owed();
    taskfarm::sim::charge_probe();
    return PMPI_Testsome(incount, requests, outcount, indices, statuses);
}
