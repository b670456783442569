/*
 * pcap_floor: the fastest a libpcap-based reader can go on this machine.
 *
 * It opens a capture with pcap_open_offline, walks it with pcap_next_ex and does the least work that still
 * touches every packet: it sums the captured lengths and XORs the last captured byte of each packet into a
 * checksum that is printed, so the compiler cannot drop the loop. Any reader built on libpcap pays at least
 * this, so replay throughput is reported as a ratio to it.
 *
 * With --buffer BYTES it opens the file itself with a stdio buffer of that size and hands the stream to
 * pcap_fopen_offline, as TapSensor does (1 MiB): libpcap's own open leaves the buffer at the file system's block
 * size (4 KiB), so most of the default floor's time goes to read() system calls. Both floors are reported.
 *
 * Build: cc -O2 -o pcap_floor pcap_floor.c -lpcap      (Debian: libpcap0.8-dev)
 * Usage: pcap_floor [--buffer BYTES] FILE
 * Prints one JSON line: packets, captured bytes, seconds (monotonic clock, open to close), packets per second.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t buffer_size = 0;
    if (argc == 4 && strcmp(argv[1], "--buffer") == 0) {
        buffer_size = strtoul(argv[2], NULL, 10);
        argv += 2;
        argc -= 2;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s [--buffer BYTES] FILE\n", argv[0]);
        return 2;
    }

    char error[PCAP_ERRBUF_SIZE];
    double start = now_seconds();
    pcap_t *capture;
    char *buffer = NULL;
    if (buffer_size > 0) {
        FILE *stream = fopen(argv[1], "rb");
        if (stream == NULL) {
            perror("pcap_floor");
            return 1;
        }
        buffer = malloc(buffer_size);
        if (buffer == NULL || setvbuf(stream, buffer, _IOFBF, buffer_size) != 0) {
            fprintf(stderr, "pcap_floor: cannot set a %zu-byte stream buffer\n", buffer_size);
            return 1;
        }
        capture = pcap_fopen_offline(stream, error);
        if (capture == NULL) fclose(stream);
    } else {
        capture = pcap_open_offline(argv[1], error);
    }
    if (capture == NULL) {
        fprintf(stderr, "pcap_floor: %s\n", error);
        return 1;
    }

    struct pcap_pkthdr *header;
    const u_char *data;
    unsigned long long packets = 0, bytes = 0;
    unsigned char check = 0;
    int rc;
    while ((rc = pcap_next_ex(capture, &header, &data)) == 1) {
        packets++;
        bytes += header->caplen;
        if (header->caplen > 0)
            check ^= data[header->caplen - 1];
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcap_floor: %s\n", pcap_geterr(capture));
        pcap_close(capture);
        return 1;
    }
    pcap_close(capture);
    free(buffer);
    double seconds = now_seconds() - start;

    printf("{\"packets\":%llu,\"captured_bytes\":%llu,\"seconds\":%.6f,\"packets_per_second\":%.0f,\"check\":%u}\n",
           packets, bytes, seconds, seconds > 0 ? (double)packets / seconds : 0.0, (unsigned)check);
    return 0;
}
