// Generates MPL numbered sequences 51..70 (see include/casereview/msm_config.hpp).
#pragma once
#include <boost/mpl/map/map50.hpp>
#include <boost/preprocessor/iterate.hpp>
namespace boost { namespace mpl {
#define BOOST_PP_ITERATION_PARAMS_1 (3, (51, 70, <boost/mpl/map/aux_/numbered.hpp>))
#include BOOST_PP_ITERATE()
}}
