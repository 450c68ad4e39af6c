#include "streamingsplitter.h"

namespace causa::xdr {

StreamingSplitter::StreamingSplitter(SplitPredicate split, ElementFn onElement, int maxDepth)
    : m_split(std::move(split)), m_onElement(std::move(onElement)), m_maxDepth(maxDepth)
{}

nlohmann::json *StreamingSplitter::place(json &&v)
{
    if (m_stack.empty()) {
        m_root = std::move(v);
        return &m_root;
    }
    json &parent = *m_stack.back().value;
    if (parent.is_array()) {
        parent.push_back(std::move(v));
        return &parent.back();
    }
    json &slot = parent[m_pendingKey];
    slot = std::move(v);
    return &slot;
}

// After a scalar or container completed inside a splitting array, hand it out and drop it.
bool StreamingSplitter::endElement()
{
    if (m_stack.empty() || !m_stack.back().splitting)
        return true;
    json &arr = *m_stack.back().value;
    if (!m_onElement(arr.back())) {
        m_stopped = true;
        return false;
    }
    arr.erase(arr.size() - 1);
    return true;
}

bool StreamingSplitter::null()
{
    place(json(nullptr));
    return endElement();
}
bool StreamingSplitter::boolean(bool val)
{
    place(json(val));
    return endElement();
}
bool StreamingSplitter::number_integer(number_integer_t val)
{
    place(json(val));
    return endElement();
}
bool StreamingSplitter::number_unsigned(number_unsigned_t val)
{
    place(json(val));
    return endElement();
}
bool StreamingSplitter::number_float(number_float_t val, const string_t &)
{
    place(json(val));
    return endElement();
}
bool StreamingSplitter::string(string_t &val)
{
    place(json(std::move(val)));
    return endElement();
}
bool StreamingSplitter::binary(binary_t &val)
{
    place(json::binary(std::move(val)));
    return endElement();
}

bool StreamingSplitter::start_object(std::size_t)
{
    if (int(m_stack.size()) >= m_maxDepth) {
        m_tooDeep = true;
        return false;
    }
    const bool inArray = !m_stack.empty() && m_stack.back().value->is_array();
    json *v = place(json::object());
    m_path.push_back(inArray ? std::string("[]") : m_pendingKey);
    m_stack.push_back({v, false});
    return true;
}

bool StreamingSplitter::key(string_t &val)
{
    m_pendingKey = std::move(val);
    return true;
}

bool StreamingSplitter::end_object()
{
    m_stack.pop_back();
    m_path.pop_back();
    return endElement();
}

bool StreamingSplitter::start_array(std::size_t)
{
    if (int(m_stack.size()) >= m_maxDepth) {
        m_tooDeep = true;
        return false;
    }
    const bool inArray = !m_stack.empty() && m_stack.back().value->is_array();
    json *v = place(json::array());
    m_path.push_back(inArray ? std::string("[]") : m_pendingKey);
    m_stack.push_back({v, m_split(m_path)});
    if (m_stack.back().splitting && m_onSplit)
        m_onSplit(int(m_stack.size()));
    return true;
}

bool StreamingSplitter::end_array()
{
    m_stack.pop_back();
    m_path.pop_back();
    return endElement();
}

bool StreamingSplitter::parse_error(std::size_t position, const std::string &,
                                    const nlohmann::detail::exception &ex)
{
    m_hasError = true;
    m_errorPosition = position;
    m_errorMessage = ex.what();
    return false;
}

} // namespace causa::xdr
