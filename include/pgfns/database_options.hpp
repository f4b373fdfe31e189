// How a database is set up: the schema and service, the servers, the pools.
#pragma once

#include <pgfns/monitor.hpp>
#include <pgfns/schema.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace pgfns {

struct database_options {
  std::shared_ptr<const pgfns::schema> schema;  // required
  std::string service;    // this service's name (as in access.yml); decides who may write
  std::string write_url;  // libpq URL or key=value string of the primary; required
  std::string read_url;   // of the server for read methods (a hot standby); "" = write_url

  std::size_t write_pool_size = 10;  // connections at most, per pool
  std::size_t read_pool_size = 10;
  bool pipelining = true;                          // several calls in flight on one connection
  std::size_t pipeline_depth = 16;                 // calls in flight per connection when pipelining
  std::chrono::milliseconds statement_timeout{0};  // 0: the server's setting
  std::chrono::milliseconds acquire_timeout{5000};  // longest wait for a connection
  std::chrono::milliseconds connect_timeout{10000};
  bool read_fallback = true;     // reads go to the write server while the read server is down
  std::string application_name;  // "" = the service name (when the URL names none)
  monitor_hooks monitor;
};

}  // namespace pgfns
